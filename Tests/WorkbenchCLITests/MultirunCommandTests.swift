import Foundation
import XCTest

/// `workbench run FILE --multirun …`: the Hydra-style grid over the base experiment runs through
/// the sweep machinery, with the same trials (ids) as the equivalent sweep file.
final class MultirunCommandTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-multirun-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func run(_ args: [String]) throws -> WorkbenchProcess.Outcome {
    try WorkbenchProcess(cache: scratch.appendingPathComponent("cache")).run(args)
  }

  static let tiny = ["--set", "train.epochs=1", "--set", "data.train=16", "--set", "data.val=8"]

  /// Trial ids in listing order from a sweep dry run.
  func ids(_ out: String) -> [String] {
    out.split(separator: "\n").compactMap { line in
      let parts = line.split(separator: " ")
      return parts.count > 1 && parts[0].hasPrefix("[") ? String(parts[1]) : nil
    }
  }

  func testMultirunIsTheGridSweepOfTheExperiment() throws {
    let reports = scratch.appendingPathComponent("Reports").path
    let multirun = ["--multirun", "model.width=0.25,0.5", "train.optimizer.lr=1e-3,3e-3"]
    let plan = try run(["run", "Experiments/quick.json", "--dry-run", "--reports", reports] + Self.tiny + multirun)
    XCTAssertEqual(plan.status, 0, plan.err)
    XCTAssertTrue(plan.out.contains("sweep quick-multirun (grid, 4 trials)"), plan.out)

    // the same grid written as a sweep file lists the same trial ids in the same order
    let base = WorkbenchProcess.root.appendingPathComponent("Experiments/quick.json").path
    let file = scratch.appendingPathComponent("same.json")
    try """
    {"version": 1, "name": "same", "base": "\(base)", "set": ["train.epochs=1", "data.train=16", "data.val=8"],
     "space": {"model.width": [0.25, 0.5], "train.optimizer.lr": [0.001, 0.003]},
     "objectives": {"float.map50": "max"}}
    """.write(to: file, atomically: true, encoding: .utf8)
    let same = try run(["sweep", file.path, "--dry-run", "--reports", reports])
    XCTAssertEqual(same.status, 0, same.err)
    XCTAssertEqual(ids(plan.out).count, 4)
    XCTAssertEqual(ids(plan.out), ids(same.out))

    let r = try run(["run", "Experiments/quick.json", "--reports", reports] + Self.tiny + multirun)
    XCTAssertEqual(r.status, 0, r.err + r.out)
    XCTAssertTrue(r.out.contains("4 trials, 4 succeeded"), r.out)
    // quick.json's gate `map50 >= 0.0` is the objective
    XCTAssertTrue(r.out.contains("best float.map50 (max): "), r.out)
    let folder = try XCTUnwrap(
      r.out.split(separator: "\n").first { $0.hasPrefix("sweep folder: ") }?.dropFirst("sweep folder: ".count))
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/trials.json")))
    let trials = try XCTUnwrap((json as? [String: Any])?["trials"] as? [[String: Any]])
    XCTAssertEqual(trials.compactMap { $0["id"] as? String }, ids(plan.out))
    // each trial's run trained the experiment with its own values (read from its experiment.json)
    var seen: [[Double]] = []
    for t in trials {
      let run = try XCTUnwrap(t["runFolder"] as? String)
      let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(run)/experiment.json"))
      let e = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
      let width = try XCTUnwrap((e["model"] as? [String: Any])?["width"] as? Double)
      let lr = try XCTUnwrap(((e["train"] as? [String: Any])?["optimizer"] as? [String: Any])?["lr"] as? Double)
      XCTAssertEqual((e["train"] as? [String: Any])?["epochs"] as? Int, 1)
      seen.append([width, lr])
    }
    XCTAssertEqual(seen, [[0.25, 0.001], [0.25, 0.003], [0.5, 0.001], [0.5, 0.003]])
  }

  func testBadMultirunArgumentIsRefused() throws {
    let r = try run(["run", "Experiments/quick.json", "--dry-run", "--multirun", "model.width"])
    XCTAssertEqual(r.status, 2)
    XCTAssertTrue(r.err.contains("expected PATH=VALUE,VALUE,… after --multirun"), r.err)
    let unknown = try run(["run", "Experiments/quick.json", "--dry-run", "--multirun", "model.widht=0.25,0.5"])
    XCTAssertEqual(unknown.status, 2)
    XCTAssertTrue(unknown.err.contains("model.widht: unknown key; did you mean `width`?"), unknown.err)
  }
}
