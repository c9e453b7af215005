import Foundation
import Support
import XCTest

/// `.npy` arrays: hand-built bytes per NumPy's format spec, a round trip, errors that name the
/// problem, and (where NumPy is importable) files written and read by NumPy itself.
final class NPYArrayTests: XCTestCase {
  func header(_ dict: String, version: UInt8 = 1) -> [UInt8] {
    var text = dict
    let fixed = version == 1 ? 10 : 12
    text += String(repeating: " ", count: (16 - (fixed + text.utf8.count + 1) % 16) % 16) + "\n"
    let n = text.utf8.count
    let length: [UInt8] = version == 1 ? [UInt8(n & 0xff), UInt8(n >> 8)] : [UInt8(n & 0xff), UInt8(n >> 8), 0, 0]
    return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + Array(text.utf8)
  }

  func testHandBuiltFloat32AndFloat64() throws {
    // 1.5 = 0x3FC00000, -2 = 0xC0000000 (little-endian float32)
    let f4 = header("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }") + [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0]
    XCTAssertEqual(try NPYArray(bytes: Data(f4), file: "a.npy"), NPYArray(shape: [2], scalars: [1.5, -2]))
    // 0.25 as float64 = 0x3FD0000000000000, in a version 2.0 header, shape (1, 1)
    let f8 =
      header("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", version: 2) + [
        0, 0, 0, 0, 0, 0, 0xD0, 0x3F,
      ]
    XCTAssertEqual(try NPYArray(bytes: Data(f8), file: "b.npy"), NPYArray(shape: [1, 1], scalars: [0.25]))
    // uint8 (camera pixels, the codes a kmodel reads): one byte per value
    let u1 = header("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }") + [0, 7, 255]
    XCTAssertEqual(try NPYArray(bytes: Data(u1), file: "c.npy"), NPYArray(shape: [3], scalars: [0, 7, 255]))
  }

  func testRoundTripAndAlignment() throws {
    let a = NPYArray(shape: [2, 1, 3], scalars: [0, 1, -1, 0.5, 3.25, -7])
    let bytes = a.bytes
    XCTAssertEqual((10 + Int(bytes[8]) + Int(bytes[9]) * 256) % 16, 0, "data starts 16-byte aligned")
    XCTAssertEqual(try NPYArray(bytes: bytes, file: "r.npy"), a)
  }

  func testErrorsNameTheProblem() {
    func reason(_ bytes: [UInt8]) -> String {
      do {
        _ = try NPYArray(bytes: Data(bytes), file: "x.npy")
        return "no error"
      } catch { return "\(error)" }
    }
    XCTAssertEqual(
      reason(Array("PK\u{3}\u{4}abcdefgh".utf8)),
      "x.npy is not a usable .npy array: it does not start with the .npy magic (\\x93NUMPY)")
    XCTAssertTrue(
      reason(header("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }") + [UInt8](repeating: 0, count: 8))
        .hasSuffix("dtype <i8 is not supported (float32 '<f4', float64 '<f8' or uint8 '|u1' are)"))
    XCTAssertTrue(
      reason(header("{'descr': '<f4', 'fortran_order': True, 'shape': (1,), }") + [0, 0, 0, 0]).contains(
        "Fortran order"))
    XCTAssertTrue(
      reason(header("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }") + [0, 0, 0, 0])
        .hasSuffix("it holds 4 data bytes, but shape [3] of 4-byte values needs 12"))
  }

  func testNumPyReadsOursAndWeReadNumPys() throws {
    let python = "/usr/bin/env"
    guard (try? run(python, ["python3", "-c", "import numpy"])) == 0 else {
      throw XCTSkip("NumPy is not importable by python3")
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "npy-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let ours = dir.appendingPathComponent("ours.npy"), theirs = dir.appendingPathComponent("theirs.npy")
    try NPYArray(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6.5]).bytes.write(to: ours)
    let script = """
      import numpy as np
      a = np.load('\(ours.path)')
      assert a.dtype == np.float32 and a.shape == (2, 3) and a[1, 2] == 6.5, (a.dtype, a.shape, a)
      np.save('\(theirs.path)', (np.arange(24, dtype=np.float64).reshape(2, 3, 4) / 8 - 1))
      """
    XCTAssertEqual(try run(python, ["python3", "-c", script]), 0)
    let read = try NPYArray(contentsOf: theirs.path)
    XCTAssertEqual(read.shape, [2, 3, 4])
    XCTAssertEqual(read.scalars, (0..<24).map { Float(Double($0) / 8 - 1) })
  }

  func run(_ tool: String, _ args: [String]) throws -> Int32 {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: tool)
    p.arguments = args
    try p.run()
    p.waitUntilExit()
    return p.terminationStatus
  }
}
