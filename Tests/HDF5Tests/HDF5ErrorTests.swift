import Foundation
import HDF5
import XCTest

final class HDF5ErrorTests: XCTestCase {
  var dir: TemporaryDirectory!

  override func setUpWithError() throws { dir = try TemporaryDirectory() }
  override func tearDown() { dir.remove() }

  func testMissingFileNamesThePath() {
    let path = dir.file("nope.h5")
    XCTAssertThrowsError(try HDF5File.open(path)) { error in
      XCTAssertEqual("\(error)", "HDF5 file '\(path)' does not exist.")
    }
  }

  func testNonHDF5FileIsRejected() throws {
    let path = dir.file("text.h5")
    try Data("hello, not hdf5".utf8).write(to: URL(fileURLWithPath: path))
    XCTAssertFalse(HDF5File.isHDF5(path))
    XCTAssertThrowsError(try HDF5File.open(path)) { error in
      guard case .cannotOpen(let file, _) = error as? HDF5Error else { return XCTFail("\(error)") }
      XCTAssertEqual(file, path)
    }
  }

  func testTruncatedFileIsRejected() throws {
    let path = dir.file("full.h5")
    let file = try HDF5File.create(at: path)
    try file.root.write([Float](repeating: 2, count: 10_000), shape: [10_000], to: "x")
    try file.close()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let truncated = dir.file("truncated.h5")
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: truncated))
    XCTAssertThrowsError(
      try {
        let f = try HDF5File.open(truncated); _ = try f.root.read("x", as: Float.self)
      }()
    ) { error in
      XCTAssertTrue("\(error)".contains("'\(truncated)'"), "\(error)")
    }
  }

  func testMissingObjectNamesFileAndPath() throws {
    let path = dir.file("objects.h5")
    let file = try HDF5File.create(at: path)
    try file.root.createGroup("train")
    XCTAssertThrowsError(try file.root.dataset("train/images")) { error in
      XCTAssertEqual("\(error)", "HDF5 file '\(path)' has no object at '/train/images'.")
    }
    XCTAssertThrowsError(try file.root.dataset("train")) { error in
      XCTAssertEqual("\(error)", "HDF5 object '/train' in '\(path)' is not a dataset.")
    }
  }

  func testSizeMismatchAndStringTypeMismatch() throws {
    let path = dir.file("sizes.h5")
    let file = try HDF5File.create(at: path)
    XCTAssertThrowsError(try file.root.write([1, 2, 3] as [Float], shape: [2, 2], to: "x")) { error in
      XCTAssertEqual("\(error)", "HDF5 dataset '/x' in '\(path)' needs 4 values, got 3.")
    }
    let names = try file.root.writeStrings(["a"], to: "names")
    XCTAssertThrowsError(try names.read(as: Float.self)) { error in
      XCTAssertEqual("\(error)", "HDF5 dataset '/names' in '\(path)' holds string, which cannot be read as float32.")
    }
  }

  func testCreatingInMissingDirectoryFails() {
    let path = dir.file("no/such/dir/x.h5")
    XCTAssertThrowsError(try HDF5File.create(at: path)) { error in
      guard case .cannotCreate(let file, _) = error as? HDF5Error else { return XCTFail("\(error)") }
      XCTAssertEqual(file, path)
    }
  }
}
