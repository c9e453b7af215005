import Foundation
import Images
import Tensors
import XCTest

@testable import Datasets

final class DigitsGeneratorTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  var small: DigitsConfig {
    var config = DigitsConfig()
    config.trainCount = 23
    config.valCount = 7
    return config
  }

  func testSameSeedGivesIdenticalFileAndHash() throws {
    try assertReproducible(in: dir) { seed, path in
      var config = small
      if let seed { config.seed = seed }
      return try DigitsGenerator(config).write(to: path)
    }
  }

  /// 23 training images: labels are a permutation of 0..<23 modulo 10, so digits 0, 1 and 2
  /// appear 3 times and the others twice; the file stores exactly what `sample` draws.
  func testLabelsAreBalancedAndStored() throws {
    let generator = DigitsGenerator(small)
    try generator.write(to: dir.file("d.h5"))
    let file = try DatasetFile(path: dir.file("d.h5"))
    XCTAssertEqual(file.kind, .classification)
    XCTAssertEqual(file.classNames, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"])
    XCTAssertEqual(file.splitNames, ["train", "val"])
    let labels = try file.split("train").labels()
    var counts = [Int](repeating: 0, count: 10)
    for l in labels { counts[l] += 1 }
    XCTAssertEqual(counts, [3, 3, 3, 2, 2, 2, 2, 2, 2, 2])
    XCTAssertNotEqual(labels, labels.sorted(), "labels come in a shuffled order")
    for index in [0, 7, 22] {
      let (image, label) = generator.sample(split: "train", index: index, count: 23)
      XCTAssertEqual(label, labels[index])
      XCTAssertEqual(try file.split("train").image(at: index).pixels, image.pixels)
    }
    XCTAssertEqual(try file.split("val").labels().count, 7)
  }

  /// Anti-aliased coverage by hand: a segment (2, 5)–(12, 5) with half-width 1.25 on black.
  /// Pixel centres at y = 4.5 and 5.5 are 0.5 away (coverage 1 → 255), at y = 3.5 and 6.5
  /// 1.5 away (1.75 − 1.5 = .25 → 64); the pixel past the end, centre (13.5, 4.5), is
  /// √(1.5² + .5²) = 1.5811 from (12, 5): coverage .1689 → 43.
  func testStrokeCoverageByHand() {
    var image = Image(width: 16, height: 10, channels: 1)
    DigitsGenerator.stroke(&image, [[(2, 5), (12, 5)]], halfWidth: 1.25, color: .white)
    XCTAssertEqual((2..<8).map { image[x: 6, y: $0, c: 0] }, [0, 64, 255, 255, 64, 0])
    XCTAssertEqual(image[x: 13, y: 4, c: 0], 43)
    XCTAssertEqual(image[x: 14, y: 4, c: 0], 0)  // 2.55 away
    XCTAssertEqual(image[x: 0, y: 5, c: 0], 43)  // the same cap at the other end
  }

  /// The same image drawn as "0" and as "8" differs only by the strokes: without noise,
  /// clutter and shift, the glyph centre is the image centre, which is inside the 0's hole but
  /// on the 8's waist (ink at least 60 grey levels from the background there, times coverage),
  /// and the far corner is untouched by either.
  func testGlyphsDifferWhereTheirStrokesDo() {
    var config = small
    config.noise = 0; config.clutter = 0; config.maxShift = 0; config.maxScale = 0.6
    let generator = DigitsGenerator(config)
    let root = RandomStream(seed: config.seed).split("digits")
    for index in 0..<10 {
      let zero = generator.draw(0, split: "train", index: index, root: root)
      let eight = generator.draw(8, split: "train", index: index, root: root)
      let centre = (15...16).flatMap { y in
        (15...16).map { x in abs(Int(zero[x: x, y: y, c: 0]) - Int(eight[x: x, y: y, c: 0])) }
      }
      XCTAssertGreaterThanOrEqual(centre.max() ?? 0, 30, "image \(index)")
      XCTAssertEqual(zero[x: 0, y: 0, c: 0], eight[x: 0, y: 0, c: 0], "image \(index)")
      XCTAssertEqual(zero[x: 31, y: 31, c: 0], eight[x: 31, y: 31, c: 0], "image \(index)")
      XCTAssertNotEqual(zero.pixels, eight.pixels)
    }
  }

  func testInvalidSettingsAreReported() {
    var config = small
    config.maxStroke = 0.01
    XCTAssertThrowsError(try DigitsGenerator(config).write(to: dir.file("x.h5"))) { error in
      XCTAssertEqual("\(error)", "digits: need 0 < minStroke <= maxStroke <= 0.4, got 0.07...0.01.")
    }
    XCTAssertEqual(dir.listing(), [])
  }
}
