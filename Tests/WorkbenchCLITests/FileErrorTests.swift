import Foundation
import XCTest

/// A file that cannot be created or read reaches the user as one sentence naming the file, what
/// it is and why, with a non-zero exit, never as a Foundation error dump.
final class FileErrorTests: XCTestCase {
  var scratch: URL!
  /// A regular file: anything below it fails with "a parent is not a folder".
  var plain: String!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-fileerr-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    plain = scratch.appendingPathComponent("plain.txt").path
    try Data("not a folder".utf8).write(to: URL(fileURLWithPath: plain))
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func run(_ args: [String], cache: String? = nil) throws -> WorkbenchProcess.Outcome {
    try WorkbenchProcess(cache: URL(fileURLWithPath: cache ?? scratch.appendingPathComponent("cache").path)).run(args)
  }

  func assertNoFoundationDump(_ r: WorkbenchProcess.Outcome, line: UInt = #line) {
    for fragment in ["NSCocoaErrorDomain", "NSPOSIXErrorDomain", "UserInfo=", "Error Domain="] {
      XCTAssertFalse(r.err.contains(fragment), r.err, line: line)
    }
  }

  func testReportsFolderThatCannotBeCreated() throws {
    let r = try run(["run", "experiments/quick.json", "--reports", plain + "/x"])
    XCTAssertEqual(r.status, 1)
    XCTAssertEqual(r.err, "error: cannot create the reports folder \(plain!)/x: a parent is not a folder\n")
    XCTAssertFalse(r.out.contains("[1/4]"), "no stage runs: \(r.out)")
    XCTAssertFalse(
      FileManager.default.fileExists(atPath: scratch.appendingPathComponent("cache").path), "nothing was cached")
  }

  func testCacheFolderThatCannotBeCreated() throws {
    let reports = scratch.appendingPathComponent("Reports").path
    let r = try run(["run", "experiments/quick.json", "--reports", reports], cache: plain + "/cache")
    XCTAssertEqual(r.status, 1)
    XCTAssertTrue(
      r.err.hasPrefix(
        "error: stage `data` failed: cannot create the cache folder \(plain!)/cache/data: a parent is not a folder\n"),
      r.err)
    assertNoFoundationDump(r)
  }

  func testMissingOrWrongInputFiles() throws {
    let missing = scratch.appendingPathComponent("missing.json").path
    let validate = try run(["validate", missing])
    XCTAssertEqual(validate.status, 2)
    XCTAssertEqual(validate.err, "error: cannot read the experiment file \(missing): no such file or folder\n")
    let eval = try run(["eval", "detections", "--gt", scratch.path, "--pred", missing])
    XCTAssertEqual(eval.status, 1)
    XCTAssertEqual(eval.err, "error: cannot read the ground-truth file \(scratch.path): it is a folder\n")
    let model = try run(["inspect", "model", plain + "/model.json"])
    XCTAssertNotEqual(model.status, 0)
    assertNoFoundationDump(model)
  }

  func testDatasetThatCannotBeCreated() throws {
    let out = plain + "/shapes.h5"
    let r = try run(["data", "generate", "shapes", "--out", out, "--size", "32", "--counts", "4,2,2"])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.err.contains("cannot create the dataset file \(out): a parent is not a folder"), r.err)
    XCTAssertFalse(r.err.contains(".tmp-"), "the temporary file is not what the user asked for: \(r.err)")
  }
}
