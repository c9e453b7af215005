import Foundation
import XCTest

/// `workbench sweep` with `"search": "asha"` as a user runs it: the dry run names the rungs;
/// kill -9 of the sweep process after its first finished rung, then the same command with two
/// child-process workers re-uses the finished rungs (none is trained twice) and completes the
/// promotion.
final class AshaSweepCommandTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-ashacli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func run(_ args: [String]) throws -> WorkbenchProcess.Outcome {
    try WorkbenchProcess(cache: scratch.appendingPathComponent("cache")).run(args)
  }

  /// trials.json's rows, once the sweep folder has one.
  func rows(_ sweepRoot: URL) -> [[String: Any]]? {
    guard let id = try? FileManager.default.contentsOfDirectory(atPath: sweepRoot.path).first,
      let data = FileManager.default.contents(atPath: sweepRoot.appendingPathComponent("\(id)/trials.json").path),
      let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return nil }
    return json["trials"] as? [[String: Any]]
  }

  func testAshaSweepResumesAfterKill9WithTwoWorkers() throws {
    let base = WorkbenchProcess.root.appendingPathComponent("Experiments/quick.json").path
    let text = """
      {"version": 1, "name": "asha-cli", "base": "\(base)", "set": ["data.train=16", "data.val=8"],
       "space": {"train.optimizer.lr": {"log_uniform": [0.001, 0.02]}}, "search": "asha", "trials": 3, "seed": 1,
       "asha": {"min_epochs": 1, "max_epochs": 3},
       "objectives": {"float.f1": "max"}}
      """
    let file = scratch.appendingPathComponent("asha-cli.json").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    let reports = scratch.appendingPathComponent("Reports")
    let plan = try run(["sweep", file, "--dry-run", "--reports", reports.path])
    XCTAssertEqual(plan.status, 0, plan.err)
    XCTAssertTrue(plan.out.contains("(asha, 3 trials, rungs of 1/3 epochs (η 3))"), plan.out)

    let p = try WorkbenchProcess(cache: scratch.appendingPathComponent("cache")).start(
      ["sweep", file, "--reports", reports.path])
    let sweepRoot = reports.appendingPathComponent("asha-cli")
    var finished = 0
    let deadline = Date().addingTimeInterval(300)
    while finished == 0 && Date() < deadline && p.isRunning {
      usleep(20_000)
      finished = (rows(sweepRoot) ?? []).flatMap { ($0["rungs"] as? [[String: Any]]) ?? [] }.count
    }
    XCTAssertTrue(p.isRunning, "the sweep finished before it could be killed")
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    XCTAssertEqual(p.terminationReason, .uncaughtSignal)
    XCTAssertEqual(finished, 1)

    let again = try run(["sweep", file, "--jobs", "2", "--reports", reports.path])
    XCTAssertEqual(again.status, 0, again.err + again.out)
    XCTAssertEqual(again.out.components(separatedBy: "epochs): succeeded (re-used)").count - 1, 1, again.out)
    XCTAssertTrue(again.out.contains("3 trials, 1 succeeded, 2 stopped"), again.out)
    let final = try XCTUnwrap(rows(sweepRoot))
    XCTAssertEqual(final.compactMap { $0["status"] as? String }.sorted(), ["stopped", "stopped", "succeeded"])
    // every rung ran exactly once: one succeeded run folder per rung of each trial
    let folder = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: sweepRoot.path).first)
    for t in final {
      let id = try XCTUnwrap(t["id"] as? String)
      let rungs = try XCTUnwrap(t["rungs"] as? [[String: Any]])
      let dir = sweepRoot.appendingPathComponent("\(folder)/trials/\(id)")
      let succeeded = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { run in
        guard run != "latest",
          let data = FileManager.default.contents(atPath: dir.appendingPathComponent("\(run)/manifest.json").path),
          let m = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return false }
        return m["status"] as? String == "succeeded"
      }
      XCTAssertEqual(succeeded.count, rungs.count, "\(id): \(succeeded)")
      XCTAssertEqual(rungs.compactMap { $0["epochs"] as? Int }, t["status"] as? String == "succeeded" ? [1, 3] : [1])
    }
  }
}
