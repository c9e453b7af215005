import Foundation
import HDF5
import XCTest

/// Files written here must read in the reference tools: `h5dump` and h5py.
final class HDF5InteropTests: XCTestCase {
  var dir: TemporaryDirectory!
  var path: String { dir.file("interop.h5") }

  override func setUpWithError() throws {
    dir = try TemporaryDirectory()
    let file = try HDF5File.create(at: path)
    let train = try file.root.createGroup("train")
    try train.write(
      [1, 2, 3, 4, 5, 6] as [UInt8], shape: [2, 3], to: "images", options: .init(chunks: [1, 3], gzipLevel: 1))
    try train.write([0.25, -1.5] as [Float], shape: [2], to: "scores")
    try train.writeStrings(["alice", "bob"], to: "names")
    try file.root.setAttribute("kind", .string("detection"))
    try file.root.setAttribute("class_names", .strings(["cat", "dog"]))
    try file.root.setAttribute("schema_version", .int(1))
    try file.close()
  }

  override func tearDown() { dir.remove() }

  func testH5DumpReadsTheFile() throws {
    guard let result = runTool("h5dump", [path]) else {
      throw XCTSkip("h5dump is not installed (apt-get install hdf5-tools)")
    }
    XCTAssertEqual(result.status, 0)
    let compact = result.output.replacingOccurrences(of: " ", with: "").replacingOccurrences(of: "\n", with: "")
    XCTAssertTrue(compact.contains("(0,0):1,2,3,(1,0):4,5,6"), result.output)
    XCTAssertTrue(compact.contains("\"alice\",\"bob\""), result.output)
    XCTAssertTrue(compact.contains("0.25,-1.5"), result.output)
    XCTAssertTrue(compact.contains("\"cat\",\"dog\""), result.output)
  }

  func testH5pyReadsTheFile() throws {
    let script = """
      import sys
      try:
          import h5py
      except ImportError:
          sys.exit(3)
      f = h5py.File(sys.argv[1], 'r')
      print(f['train/images'][()].tolist())
      print([s.decode() if isinstance(s, bytes) else s for s in f['train/names'].asstr()[()]])
      print(f['train/scores'][()].tolist())
      print(f.attrs['kind'], list(f.attrs['class_names']), int(f.attrs['schema_version']))
      print(f['train/images'].chunks, f['train/images'].compression)
      """
    guard let result = runTool("python3", ["-c", script, path]) else {
      throw XCTSkip("python3 is not available")
    }
    if result.status == 3 { throw XCTSkip("h5py is not importable (pip install h5py)") }
    XCTAssertEqual(result.status, 0)
    XCTAssertEqual(
      result.output,
      """
      [[1, 2, 3], [4, 5, 6]]
      ['alice', 'bob']
      [0.25, -1.5]
      detection ['cat', 'dog'] 1
      (1, 3) gzip

      """)
  }

  func testReadsFilesWrittenByH5py() throws {
    let other = dir.file("from-h5py.h5")
    let script = """
      import sys
      try:
          import h5py, numpy as np
      except ImportError:
          sys.exit(3)
      f = h5py.File(sys.argv[1], 'w')
      f['x'] = np.arange(6, dtype=np.int16).reshape(2, 3)
      f['s'] = np.array([b'ab', b'cde'], dtype='S3')
      f.attrs['name'] = 'h5py'
      f.attrs['fixed'] = np.bytes_(b'fixed')
      f.attrs['values'] = np.array([1.5, 2.5])
      f.close()
      """
    guard let result = runTool("python3", ["-c", script, other]) else {
      throw XCTSkip("python3 is not available")
    }
    if result.status == 3 { throw XCTSkip("h5py is not importable (pip install h5py)") }
    XCTAssertEqual(result.status, 0)
    let file = try HDF5File.open(other)
    XCTAssertEqual(try file.root.read("x", as: Int16.self), [0, 1, 2, 3, 4, 5])
    XCTAssertEqual(try file.root.dataset("s").readStrings(), ["ab", "cde"])
    XCTAssertEqual(try file.root.attribute("name"), .string("h5py"))
    XCTAssertEqual(try file.root.attribute("fixed"), .string("fixed"))
    XCTAssertEqual(try file.root.attribute("values"), .doubles([1.5, 2.5]))
  }
}
