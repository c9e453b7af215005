import Datasets
import Foundation
import XCTest

final class ShapesGeneratorTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  var small: ShapesConfig {
    var config = ShapesConfig()
    config.width = 32
    config.height = 24
    config.trainCount = 12
    config.valCount = 4
    config.testCount = 0
    config.emptyFraction = 0.2
    return config
  }

  func testSameSeedGivesIdenticalFileAndHash() throws {
    try assertReproducible(in: dir) { seed, path in
      var config = small
      if let seed { config.seed = seed }
      return try ShapesGenerator(config).write(to: path)
    }
  }

  func testBoxesAreExactAndInsideTheImage() throws {
    var config = small
    config.noise = 0
    let generator = ShapesGenerator(config)
    var objects = 0
    for index in 0..<12 {
      let (image, boxes) = generator.sample(split: "train", index: index)
      XCTAssertEqual([image.width, image.height, image.channels], [32, 24, 3])
      for box in boxes {
        objects += 1
        XCTAssertTrue(box.isInsideImage, "\(box)")
        XCTAssertTrue((0..<3).contains(box.classIndex))
        XCTAssertGreaterThanOrEqual(box.w * 32, Float(0.12 * 24) - 0.01)
      }
    }
    XCTAssertGreaterThan(objects, 12)
    let file = try DatasetFile(
      path: try {
        let p = dir.file("s.h5"); try generator.write(to: p); return p
      }())
    XCTAssertEqual(file.splitNames, ["train", "val"])
    XCTAssertEqual(try file.split("train").boxes(), (0..<12).map { generator.sample(split: "train", index: $0).1 })
  }

  func testInvalidSettingsAreReported() {
    var config = small
    config.channels = 2
    XCTAssertThrowsError(try ShapesGenerator(config).write(to: dir.file("x.h5"))) { error in
      XCTAssertEqual("\(error)", "shapes: channels must be 1 or 3, got 2.")
    }
    XCTAssertEqual(dir.listing(), [])
  }
}
