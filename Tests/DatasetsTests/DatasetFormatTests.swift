import Datasets
import Foundation
import Geometry
import HDF5
import Images
import XCTest

final class DatasetFormatTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  func image(_ value: UInt8) -> Image { Image(width: 4, height: 3, channels: 3, fill: value) }

  func writeDetection(_ path: String, pixel: UInt8 = 9) throws -> String {
    let writer = try DatasetWriter(
      path: path, kind: .detection, classNames: ["a", "b"], source: "test", imageSize: (3, 4, 3))
    try writer.beginSplit("train", count: 3)
    try writer.append(image(pixel), boxes: [Box(classIndex: 1, cx: 0.5, cy: 0.5, w: 0.2, h: 0.4)])
    try writer.append(image(2), boxes: [])
    try writer.append(
      image(3),
      boxes: [
        Box(classIndex: 0, cx: 0.1, cy: 0.1, w: 0.2, h: 0.2), Box(classIndex: 1, cx: 0.9, cy: 0.9, w: 0.2, h: 0.2),
      ])
    try writer.endSplit()
    try writer.beginSplit("test", count: 1)
    try writer.append(image(4), boxes: [])
    try writer.endSplit()
    return try writer.finish()
  }

  func testDetectionRoundTripAndContentHash() throws {
    let path = dir.file("det.h5")
    let hash = try writeDetection(path)
    XCTAssertEqual(dir.listing(), ["det.h5"])
    let file = try DatasetFile(path: path)
    XCTAssertEqual(file.kind, .detection)
    XCTAssertEqual(file.classNames, ["a", "b"])
    XCTAssertEqual(file.splitNames, ["train", "test"])
    XCTAssertEqual(file.contentHash, hash)
    XCTAssertTrue(hash.hasPrefix("sha256:") && hash.count == 71, hash)
    XCTAssertEqual(try file.computeContentHash(), hash)
    let train = try file.split("train")
    XCTAssertEqual([train.count, train.height, train.width, train.channels], [3, 3, 4, 3])
    XCTAssertEqual(try train.image(at: 2), image(3))
    let boxes = try train.boxes()
    XCTAssertEqual(boxes.map(\.count), [1, 0, 2])
    XCTAssertEqual(boxes[2][1], Box(classIndex: 1, cx: 0.9, cy: 0.9, w: 0.2, h: 0.2))
  }

  func testHashDependsOnContentNotOnTime() throws {
    let one = try writeDetection(dir.file("one.h5"))
    let two = try writeDetection(dir.file("two.h5"))
    let changed = try writeDetection(dir.file("three.h5"), pixel: 10)
    XCTAssertEqual(one, two)
    XCTAssertNotEqual(one, changed)
  }

  func testClassificationAndIdentityRoundTrip() throws {
    let path = dir.file("cls.h5")
    let writer = try DatasetWriter(
      path: path, kind: .classification, classNames: ["x", "y", "z"], source: "t", imageSize: (3, 4, 3))
    try writer.beginSplit("val", count: 2)
    try writer.append(image(1), label: 2)
    try writer.append(image(2), label: 0)
    try writer.endSplit()
    try writer.finish()
    XCTAssertEqual(try DatasetFile(path: path).split("val").labels(), [2, 0])

    let idPath = dir.file("id.h5")
    let ids = try DatasetWriter(path: idPath, kind: .identity, classNames: [], source: "t", imageSize: (3, 4, 3))
    try ids.beginSplit("test", count: 3)
    for (i, identity) in [0, 1, 0].enumerated() { try ids.append(image(UInt8(i)), identity: identity) }
    try ids.endSplit(
      identityNames: ["Ann", "Bob"], pairs: [VerificationPair(first: 0, second: 2, isMatch: true, fold: 0)])
    let hash = try ids.finish()
    let split = try DatasetFile(path: idPath).split("test")
    XCTAssertEqual(try split.identities(), [0, 1, 0])
    XCTAssertEqual(try split.identityNames(), ["Ann", "Bob"])
    XCTAssertEqual(try split.pairs(), [VerificationPair(first: 0, second: 2, isMatch: true, fold: 0)])
    XCTAssertEqual(try DatasetFile(path: idPath).computeContentHash(), hash)
  }

  func testRejectedAnnotationsLeaveNoFile() throws {
    let path = dir.file("bad.h5")
    do {
      let writer = try DatasetWriter(
        path: path, kind: .classification, classNames: ["x"], source: "t", imageSize: (3, 4, 3))
      try writer.beginSplit("train", count: 1)
      XCTAssertThrowsError(try writer.append(image(1), label: 1)) { error in
        XCTAssertEqual("\(error)", "\(path): class 1 is out of range; there are 1 classes (0...0).")
      }
    }
    do {
      let writer = try DatasetWriter(path: path, kind: .detection, classNames: ["x"], source: "t", imageSize: (3, 4, 3))
      try writer.beginSplit("train", count: 1)
      XCTAssertThrowsError(try writer.append(image(1), boxes: [Box(classIndex: 0, cx: 0.95, cy: 0.5, w: 0.3, h: 0.1)]))
      { error in
        XCTAssertTrue("\(error)".hasPrefix("\(path): box "), "\(error)")
        XCTAssertTrue(
          "\(error)".hasSuffix(
            "lies outside the image (normalised coordinates must be within 0...1 and sizes positive)."), "\(error)")
      }
    }
    XCTAssertEqual(dir.listing(), [])
  }

  func testNonDatasetHDF5FileIsRejected() throws {
    let path = dir.file("plain.h5")
    let file = try HDF5File.create(at: path)
    try file.root.write([1] as [Float], shape: [1], to: "x")
    try file.close()
    XCTAssertThrowsError(try DatasetFile(path: path)) { error in
      XCTAssertEqual(
        "\(error)",
        "File '\(path)' is not a valid dataset input: it has no 'schema_version' attribute (not a Workbench dataset).")
    }
  }
}
