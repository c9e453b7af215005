import Foundation
import XCTest

/// `workbench sweep` as a user runs it: a dry run, a real two-trial sweep of quick.json with two
/// child processes, a re-run that re-uses both trials, `sweep status`, and an invalid file.
final class SweepCommandTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-sweepcli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func run(_ args: [String]) throws -> WorkbenchProcess.Outcome {
    try WorkbenchProcess(cache: scratch.appendingPathComponent("cache")).run(args)
  }

  func testQuickSweepWithTwoJobs() throws {
    let reports = scratch.appendingPathComponent("Reports").path
    let plan = try run(["sweep", "Experiments/quick-sweep.json", "--dry-run", "--reports", reports])
    XCTAssertEqual(plan.status, 0, plan.err)
    XCTAssertTrue(plan.out.contains("sweep quick-sweep (grid, 2 trials)"), plan.out)
    XCTAssertEqual(plan.out.components(separatedBy: "0/4 stages cached").count - 1, 2, plan.out)

    let first = try run(["sweep", "Experiments/quick-sweep.json", "--jobs", "2", "--reports", reports])
    XCTAssertEqual(first.status, 0, first.err + first.out)
    XCTAssertTrue(first.out.contains("2 trials, 2 succeeded"), first.out)
    let folder = try XCTUnwrap(
      first.out.split(separator: "\n").first { $0.hasPrefix("sweep folder: ") }?.dropFirst("sweep folder: ".count))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/trials.json")))
    let trials = try XCTUnwrap((json as? [String: Any])?["trials"] as? [[String: Any]])
    XCTAssertEqual(trials.compactMap { $0["status"] as? String }, ["succeeded", "succeeded"])
    for t in trials {
      // each child wrote its own run folder under the sweep's trials folder
      let run = try XCTUnwrap(t["runFolder"] as? String)
      XCTAssertTrue(FileManager.default.fileExists(atPath: "\(folder)/\(run)/metrics.json"), run)
    }

    let planAgain = try run(["sweep", "Experiments/quick-sweep.json", "--dry-run", "--reports", reports])
    XCTAssertEqual(planAgain.out.components(separatedBy: "finished (re-used)").count - 1, 2, planAgain.out)
    let again = try run(["sweep", "Experiments/quick-sweep.json", "--jobs", "2", "--reports", reports])
    XCTAssertEqual(again.status, 0, again.err)
    XCTAssertEqual(again.out.components(separatedBy: "finished before, re-used").count - 1, 2, again.out)

    let status = try run(["sweep", "status", String(folder)])
    XCTAssertEqual(status.status, 0, status.err)
    XCTAssertTrue(status.out.contains("2 trials, 2 succeeded"), status.out)
    XCTAssertTrue(status.out.contains("Pareto front (*): "), status.out)
  }

  func testInvalidSweepIsRefusedWithPaths() throws {
    let file = scratch.appendingPathComponent("bad.json")
    try
      #"{"version": 1, "name": "b", "base": "/nonexistent/none.json", "space": {"model.width": {"log_uniform": [-1, 1]}}, "objectives": {"float.map50": "maximum"}}"#
      .write(to: file, atomically: true, encoding: .utf8)
    let r = try run(["sweep", file.path, "--dry-run"])
    XCTAssertEqual(r.status, 2)
    XCTAssertTrue(r.err.contains("space.model.width.log_uniform: expected low > 0 (a log scale), got -1.0"), r.err)
    XCTAssertTrue(r.err.contains("objectives.float.map50: expected one of \"max\", \"min\", got \"maximum\""), r.err)
    XCTAssertTrue(r.err.contains("bad.json has 2 problems:"), r.err)
    let missing = try run(["sweep", "status", scratch.path])
    XCTAssertEqual(missing.status, 1)
    XCTAssertTrue(missing.err.hasPrefix("error: "), missing.err)
  }
}
