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
    XCTAssertTrue(
      status.out.contains("progress: 2/2 finished (2 done, 0 running, 0 failed, 0 infeasible, 0 pending)"), status.out)
    XCTAssertTrue(status.out.contains("best float.map50 (max): "), status.out)
    XCTAssertTrue(status.out.contains("Pareto front (*): "), status.out)
  }

  /// The shipped yolo-sweep.json validates and its dry run lists its trials (every width ×
  /// image size × pruning ratio once, statically checked for the K210) without training.
  func testYoloSweepDryRunListsItsTrials() throws {
    let reports = scratch.appendingPathComponent("Reports").path
    let plan = try run(["sweep", "Experiments/yolo-sweep.json", "--dry-run", "--reports", reports])
    XCTAssertEqual(plan.status, 0, plan.err)
    XCTAssertTrue(plan.out.contains("sweep yolo-sweep (grid, 12 trials)"), plan.out)
    let lines = plan.out.split(separator: "\n").filter { $0.hasPrefix("  [") }
    XCTAssertEqual(lines.count, 12, plan.out)
    XCTAssertFalse(plan.out.contains("infeasible"), plan.out)
    for ratio in ["0", "0.25", "0.5"] {
      for size in ["64", "96"] {
        for width in ["0.25", "0.5"] {
          let label = "compress.prune.ratio=\(ratio) data.image_size=\(size) model.width=\(width)"
          XCTAssertEqual(lines.filter { $0.hasSuffix(label) }.count, 1, label)
        }
      }
    }
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

extension SweepCommandTests {
  /// A sweep file in the scratch folder over quick.json's widths (one epoch, few images).
  func tinySweep(_ name: String, widths: [Double]) throws -> String {
    let base = WorkbenchProcess.root.appendingPathComponent("Experiments/quick.json").path
    let text = """
      {"version": 1, "name": "\(name)", "base": "\(base)",
       "set": ["train.epochs=1", "data.train=16", "data.val=8"],
       "space": {"model.width": \(widths)}, "objectives": {"float.map50": "max", "float.map50_95": "max"}}
      """
    let file = scratch.appendingPathComponent("\(name).json")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  func manifests(_ folder: String) throws -> [[String: Any]] {
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/trials.json")))
    let trials = try XCTUnwrap((json as? [String: Any])?["trials"] as? [[String: Any]])
    return try trials.map { t in
      let run = try XCTUnwrap(t["runFolder"] as? String, "\(t)")
      let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(run)/manifest.json"))
      return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
  }

  /// Four trials at once on one cache: they all need the same data stage; the cache's lock lets
  /// exactly one compute it and the other three re-use it.
  func testFourConcurrentTrialsShareTheCache() throws {
    let file = try tinySweep("four", widths: [0.25, 0.5, 0.75, 1])
    let reports = scratch.appendingPathComponent("Reports").path
    let r = try run(["sweep", file, "--jobs", "4", "--reports", reports])
    XCTAssertEqual(r.status, 0, r.err + r.out)
    XCTAssertTrue(r.out.contains("4 trials, 4 succeeded"), r.out)
    let folder = try XCTUnwrap(
      r.out.split(separator: "\n").first { $0.hasPrefix("sweep folder: ") }?.dropFirst("sweep folder: ".count))
    let data = try manifests(String(folder)).map { m in
      try XCTUnwrap((m["stages"] as? [[String: Any]])?.first { $0["name"] as? String == "data" })
    }
    XCTAssertEqual(data.compactMap { $0["cache_hit"] as? Bool }.filter { !$0 }.count, 1, "\(data)")
    XCTAssertEqual(Set(data.compactMap { $0["key"] as? String }).count, 1)
  }

  /// kill -9 of the sweep process after its first trial finished; running the sweep again
  /// re-uses that trial and completes the rest.
  func testResumeAfterKill9() throws {
    let file = try tinySweep("killed", widths: [0.25, 0.5, 0.75])
    let reports = scratch.appendingPathComponent("Reports")
    let p = try WorkbenchProcess(cache: scratch.appendingPathComponent("cache")).start(
      ["sweep", file, "--reports", reports.path])
    let sweepRoot = reports.appendingPathComponent("killed")
    var finished = 0
    let deadline = Date().addingTimeInterval(300)
    while finished == 0 && Date() < deadline && p.isRunning {
      usleep(20_000)
      guard let id = try? FileManager.default.contentsOfDirectory(atPath: sweepRoot.path).first,
        let data = FileManager.default.contents(atPath: sweepRoot.appendingPathComponent("\(id)/trials.json").path),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let trials = json["trials"] as? [[String: Any]]
      else { continue }
      finished = trials.filter { $0["status"] as? String == "succeeded" }.count
    }
    XCTAssertTrue(p.isRunning, "the sweep finished before it could be killed")
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationReason, .uncaughtSignal)
    XCTAssertEqual(finished, 1)

    let again = try run(["sweep", file, "--reports", reports.path])
    XCTAssertEqual(again.status, 0, again.err + again.out)
    XCTAssertEqual(again.out.components(separatedBy: "finished before, re-used").count - 1, 1, again.out)
    XCTAssertTrue(again.out.contains("3 trials, 3 succeeded"), again.out)
  }
}
