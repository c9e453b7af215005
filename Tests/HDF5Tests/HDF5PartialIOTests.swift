import Foundation
import HDF5
import XCTest

final class HDF5PartialIOTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  func testHyperslabReadsAndWrites() throws {
    let path = dir.file("slab.h5")
    let file = try HDF5File.create(at: path)
    // 5 "images" of 2×3×1, value = 100 * image + pixel.
    let values = (0..<5).flatMap { n in (0..<6).map { Int16(100 * n + $0) } }
    let images = try file.root.write(values, shape: [5, 2, 3, 1], to: "images", options: .init(chunks: [1, 2, 3, 1]))
    XCTAssertEqual(try images.read(offset: [3, 0, 0, 0], count: [2, 2, 3, 1], as: Int16.self), Array(values[18..<30]))
    XCTAssertEqual(try images.read(offset: [1, 1, 1, 0], count: [1, 1, 2, 1], as: Int16.self), [104, 105])
    try images.write([-1, -2, -3] as [Int16], offset: [0, 1, 0, 0], count: [1, 1, 3, 1])
    try file.close()
    let reread = try HDF5File.open(path).root.read("images", as: Int16.self)
    XCTAssertEqual(Array(reread[0..<6]), [0, 1, 2, -1, -2, -3])
    XCTAssertEqual(Array(reread[6...]), Array(values[6...]))
  }

  func testSelectionOutsideTheDatasetIsAnError() throws {
    let file = try HDF5File.create(at: dir.file("bounds.h5"))
    let dataset = try file.root.write([1, 2, 3] as [Float], shape: [3], to: "x")
    XCTAssertThrowsError(try dataset.read(offset: [2], count: [2], as: Float.self)) { error in
      XCTAssertEqual(
        "\(error)",
        "HDF5 selection at offset [2] of size [2] is outside dataset '/x' of shape [3] in '\(self.dir.file("bounds.h5"))'."
      )
    }
  }

  func testGzipChunkedDatasetIsSmallerAndReadsBack() throws {
    let values = [Float](repeating: 1.5, count: 64 * 1024)
    let raw = dir.file("raw.h5"), packed = dir.file("gzip.h5")
    for (path, options) in [
      (raw, HDF5DatasetOptions()), (packed, HDF5DatasetOptions(chunks: [64, 1024], gzipLevel: 6, shuffle: true)),
    ] {
      let file = try HDF5File.create(at: path)
      try file.root.write(values, shape: [64, 1024], to: "x", options: options)
      try file.close()
    }
    let reopened = try HDF5File.open(packed).root.dataset("x")
    XCTAssertEqual(reopened.chunkShape, [64, 1024])
    XCTAssertEqual(try reopened.read(as: Float.self), values)
    XCTAssertNil(try HDF5File.open(raw).root.dataset("x").chunkShape)
    let rawSize = try FileManager.default.attributesOfItem(atPath: raw)[.size] as? Int ?? 0
    let packedSize = try FileManager.default.attributesOfItem(atPath: packed)[.size] as? Int ?? 0
    XCTAssertLessThan(packedSize * 20, rawSize)
  }

  func testExtendableDatasetGrows() throws {
    let file = try HDF5File.create(at: dir.file("grow.h5"))
    let dataset = try file.root.createDataset("rows", of: Int32.self, shape: [0, 2], maxShape: [nil, 2])
    for row in 0..<3 {
      try dataset.extend(to: [row + 1, 2])
      try dataset.write([Int32(row), Int32(10 * row)], offset: [row, 0], count: [1, 2])
    }
    XCTAssertEqual(dataset.shape, [3, 2])
    XCTAssertEqual(try dataset.read(as: Int32.self), [0, 0, 1, 10, 2, 20])
  }
}
