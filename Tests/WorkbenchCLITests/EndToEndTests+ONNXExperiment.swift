import Foundation
import XCTest

/// `model.onnx` problems through the command line: a missing file is an invalid experiment
/// (exit 2), a file that does not import fails the model stage (exit 1); both name the file.
extension EndToEndTests {
  func testONNXExperimentWithMissingOrMalformedFileExitsNonZeroNamingTheFile() throws {
    let missing = try write(
      #"{"version": 1, "name": "x", "data": {"source": "digits"}, "model": {"onnx": "gone.onnx"}}"#, "missing.json")
    let r = try run(["validate", missing])
    XCTAssertEqual(r.status, 2, r.err)
    XCTAssertTrue(r.err.contains("model.onnx: no ONNX file at gone.onnx"), r.err)

    let bad = scratch.appendingPathComponent("bad.onnx")
    try Data([0x08, 0x07, 0x12]).write(to: bad)
    let file = try write(
      #"""
      {"version": 1, "name": "x", "data": {"source": "digits", "train": 8, "val": 8, "image_size": 16},
       "model": {"onnx": "bad.onnx"}, "report": {"enabled": false}}
      """#, "bad.json")
    let reports = scratch.appendingPathComponent("Reports").path
    let failed = try run(["run", file, "--reports", reports])
    XCTAssertEqual(failed.status, 1, failed.err)
    XCTAssertTrue(failed.err.contains("stage `model` failed: cannot import model.onnx \(bad.path): "), failed.err)
    XCTAssertTrue(failed.err.contains("not an ONNX protobuf message or it is truncated"), failed.err)
  }
}
