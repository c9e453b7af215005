import Datasets
import Foundation
import Images
import Tensors
import XCTest

final class DataLoaderTests: XCTestCase {
  var dir: TemporaryDirectory!
  var shapesPath: String { dir.file("shapes.h5") }

  override func setUpWithError() throws {
    dir = try TemporaryDirectory()
    var config = ShapesConfig()
    config.width = 32
    config.height = 24
    config.trainCount = 10
    config.valCount = 0
    config.testCount = 0
    try ShapesGenerator(config).write(to: shapesPath)
  }

  override func tearDown() { dir.remove() }

  func augmented(prefetch: Int) -> LoaderConfig {
    var config = LoaderConfig()
    config.batchSize = 4
    config.prefetch = prefetch
    config.augmentation.flipProbability = 0.5
    config.augmentation.minScale = 0.8
    config.augmentation.maxScale = 1.3
    config.augmentation.translate = 0.1
    config.augmentation.brightness = 0.1
    config.augmentation.contrast = 0.2
    config.augmentation.hue = 0.05
    config.augmentation.saturation = 0.3
    return config
  }

  func allBatches(_ loader: DataLoader, epoch: Int) throws -> [Batch] {
    let iterator = loader.epoch(epoch)
    var batches: [Batch] = []
    while let batch = try iterator.next() { batches.append(batch) }
    return batches
  }

  func testPlainBatchesAreScaledNCHWPixels() throws {
    var config = LoaderConfig()
    config.batchSize = 4
    config.shuffle = false
    let loader = try DataLoader(path: shapesPath, split: "train", config: config, random: RandomStream(seed: 1))
    XCTAssertEqual(loader.batchesPerEpoch, 3)
    let batches = try allBatches(loader, epoch: 0)
    XCTAssertEqual(batches.map(\.count), [4, 4, 2])
    XCTAssertEqual(batches[0].images.shape, [4, 3, 24, 32])
    let image = try DatasetFile(path: shapesPath).split("train").image(at: 1)
    // Pixel (x 5, y 7), channel 2 of image 1.
    XCTAssertEqual(batches[0].images[1, 2, 7, 5], Float(image[x: 5, y: 7, c: 2]) / 255, accuracy: 1e-6)
    XCTAssertEqual(batches[2].indices, [8, 9])
    XCTAssertEqual(batches[0].boxes, try Array(DatasetFile(path: shapesPath).split("train").boxes()[0..<4]))
  }

  func testSameSeedSameBatchesWithOrWithoutPrefetch() throws {
    let a = try allBatches(
      DataLoader(path: shapesPath, split: "train", config: augmented(prefetch: 0), random: RandomStream(seed: 5)),
      epoch: 3)
    let b = try allBatches(
      DataLoader(path: shapesPath, split: "train", config: augmented(prefetch: 2), random: RandomStream(seed: 5)),
      epoch: 3)
    XCTAssertEqual(a.map(\.images), b.map(\.images))
    XCTAssertEqual(a.map(\.indices), b.map(\.indices))
    XCTAssertEqual(a.map(\.boxes), b.map(\.boxes))
    let other = try allBatches(
      DataLoader(path: shapesPath, split: "train", config: augmented(prefetch: 2), random: RandomStream(seed: 5)),
      epoch: 4)
    XCTAssertNotEqual(a.map(\.indices), other.map(\.indices))
    XCTAssertEqual(Set(a.flatMap(\.indices)), Set(0..<10))
  }

  func testFlipMovesBoxesWithPixels() throws {
    var config = LoaderConfig()
    config.shuffle = false
    config.batchSize = 10
    config.augmentation.flipProbability = 1
    let flipped = try DataLoader(path: shapesPath, split: "train", config: config, random: RandomStream(seed: 0)).batch(
      0, epoch: 0)
    let original = try DatasetFile(path: shapesPath).split("train")
    let boxes = try original.boxes()
    for i in 0..<10 {
      XCTAssertEqual(flipped.boxes[i].count, boxes[i].count)
      for (a, b) in zip(flipped.boxes[i], boxes[i]) {
        XCTAssertEqual(a.cx, 1 - b.cx, accuracy: 1e-5)
        XCTAssertEqual(a.w, b.w, accuracy: 1e-5)
      }
    }
    let image = try original.image(at: 0)
    XCTAssertEqual(flipped.images[0, 0, 3, 31], Float(image[x: 0, y: 3, c: 0]) / 255, accuracy: 1e-5)
  }

  func testGrayscaleNormalisationAndLetterbox() throws {
    var config = LoaderConfig()
    config.shuffle = false
    config.batchSize = 2
    config.channels = 1
    config.width = 32
    config.height = 32
    config.letterbox = true
    config.mean = [0.5]
    config.std = [0.25]
    let batch = try DataLoader(path: shapesPath, split: "train", config: config, random: RandomStream(seed: 0)).batch(
      0, epoch: 0)
    XCTAssertEqual(batch.images.shape, [2, 1, 32, 32])
    // Rows 0..3 are padding (24 → 32 rows, 4 on each side), filled with gray 114.
    XCTAssertEqual(batch.images[0, 0, 1, 10], (114.0 / 255 - 0.5) / 0.25, accuracy: 1e-4)
    let image = try DatasetFile(path: shapesPath).split("train").image(at: 0)
    let luma =
      0.299 * Float(image[x: 9, y: 5, c: 0]) + 0.587 * Float(image[x: 9, y: 5, c: 1]) + 0.114
      * Float(image[x: 9, y: 5, c: 2])
    XCTAssertEqual(batch.images[0, 0, 9, 9], (luma / 255 - 0.5) / 0.25, accuracy: 1e-3)
    let stored = try DatasetFile(path: shapesPath).split("train").boxes()[0]
    for (moved, box) in zip(batch.boxes[0], stored) {
      XCTAssertEqual(moved.cy, (box.cy * 24 + 4) / 32, accuracy: 1e-5)
      XCTAssertEqual(moved.h, box.h * 24 / 32, accuracy: 1e-5)
    }
  }

  func testInvalidSettingsAreReported() {
    var config = LoaderConfig()
    config.batchSize = 0
    XCTAssertThrowsError(
      try DataLoader(path: shapesPath, split: "train", config: config, random: RandomStream(seed: 0))
    ) { error in
      XCTAssertEqual("\(error)", "loader: batchSize must be at least 1.")
    }
    XCTAssertThrowsError(try DataLoader(path: shapesPath, split: "val", random: RandomStream(seed: 0))) { error in
      XCTAssertEqual(
        "\(error)", "File '\(self.shapesPath)' is not a valid dataset input: it has no split 'val' (it has train).")
    }
  }
}
