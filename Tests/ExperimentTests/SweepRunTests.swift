import Foundation
import RunFormat
import Support
import Training
import XCTest

@testable import Experiment

/// A real sweep of `Experiments/quick.json` (two widths, one epoch, a few images) end to end:
/// trials.json, re-use of finished trials and shared stages, the Pareto front; and a trial that
/// fails as a child process without stopping the sweep.
final class SweepRunTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-sweep-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    Cancellation.set(false)
  }

  override func tearDownWithError() throws {
    Cancellation.set(false)
    try? FileManager.default.removeItem(at: scratch)
  }

  func sweep() throws -> SweepSpec {
    let text = """
      {"version": 1, "name": "tiny", "base": "\(SweepSpaceTests.quick)",
       "set": ["train.epochs=1", "data.train=16", "data.val=8"],
       "space": {"model.width": [0.25, 0.5]}, "search": "grid",
       "objectives": {"float.map50": "max", "float.map50_95": "max"},
       "constraints": {"float.map50": ">= 0"}}
      """
    let file = scratch.appendingPathComponent("tiny-sweep.json")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return try SweepLoader.load(path: file.path)
  }

  func options() -> SweepRunner.Options {
    var o = SweepRunner.Options()
    o.runner.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.runner.reportsRoot = scratch.appendingPathComponent("Reports")
    o.runner.progress = ProgressReporter(isTerminal: false, write: { _ in })
    return o
  }

  func manifest(_ dir: URL, _ folder: String?) throws -> RunManifest {
    let url = dir.appendingPathComponent(try XCTUnwrap(folder)).appendingPathComponent("manifest.json")
    return try JSONDecoder().decode(RunManifest.self, from: Data(contentsOf: url))
  }

  func testQuickSweepRunsResumesAndRanks() throws {
    let spec = try sweep()
    let trials = try SweepTrials.make(spec)
    XCTAssertEqual(trials.count, 2)
    let (dir, results) = try SweepRunner().run(spec, trials: trials, options: options())
    XCTAssertEqual(dir.deletingLastPathComponent().lastPathComponent, "tiny")
    XCTAssertEqual(results.trials.map(\.status), ["succeeded", "succeeded"])
    XCTAssertEqual(results.trials.map(\.reused), [false, false])
    XCTAssertEqual(results.trials.map(\.id), trials.map(\.id))
    XCTAssertEqual(results.trials.map { $0.settings["model.width"] }, [0.25, 0.5])

    // objectives are the trial's own metrics.json values, read here independently
    for t in results.trials {
      let run = dir.appendingPathComponent(try XCTUnwrap(t.runFolder))
      XCTAssertTrue(t.runFolder?.hasPrefix("trials/\(t.id)/") ?? false)
      let metrics = try JSONValue.parse(Data(contentsOf: run.appendingPathComponent("metrics.json")), file: "m")
      XCTAssertEqual(t.objectives["float.map50"], metrics["float"]?["map50"]?.doubleValue)
      XCTAssertEqual(t.objectives["float.map50_95"], metrics["float"]?["map50_95"]?.doubleValue)
      XCTAssertTrue(t.feasible)
    }
    // the second trial shares the data stage with the first: a cache hit; its model differs
    let second = try manifest(dir, results.trials[1].runFolder)
    XCTAssertEqual(second.stages.map(\.name), ["data", "model", "train", "evaluate-float"])
    XCTAssertEqual(second.stages.map(\.cacheHit), [true, false, false, false])

    // the Pareto front and best trials, recomputed from the values by the definition
    let a = results.trials[0].objectives, b = results.trials[1].objectives
    func dominates(_ x: [String: Double], _ y: [String: Double]) -> Bool {
      let keys = ["float.map50", "float.map50_95"]
      return keys.allSatisfy { x[$0]! >= y[$0]! } && keys.contains { x[$0]! > y[$0]! }
    }
    var expected: [String] = []
    if !dominates(b, a) { expected.append(results.trials[0].id) }
    if !dominates(a, b) { expected.append(results.trials[1].id) }
    XCTAssertEqual(results.pareto, expected)
    XCTAssertEqual(
      results.best["float.map50"], (b["float.map50"]! > a["float.map50"]! ? results.trials[1] : results.trials[0]).id)

    // the files: trials.json reads back equal; the CSV has a header and one row per trial
    let onDisk = try SweepResults.read(dir)
    XCTAssertEqual(onDisk.trials, results.trials)
    XCTAssertEqual(onDisk.pareto, results.pareto)
    let csv = try String(contentsOf: dir.appendingPathComponent("trials.csv"), encoding: .utf8)
      .split(separator: "\n")
    XCTAssertEqual(csv.count, 3)
    XCTAssertEqual(
      csv.first, "trial,status,model.width,float.map50,float.map50_95,feasible,pareto,run_folder,failed_stage,error")
    XCTAssertTrue(csv[1].hasPrefix("\(trials[0].id),succeeded,0.25,\(a["float.map50"]!),"), String(csv[1]))
    let report = try String(contentsOf: dir.appendingPathComponent("report.md"), encoding: .utf8)
    XCTAssertTrue(report.contains("| [`\(trials[0].id)`](\(results.trials[0].runFolder!)/report.md) |"), report)

    let html = try String(contentsOf: dir.appendingPathComponent("report.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("<a href=\"\(results.trials[1].runFolder!)/report.html\">"), html)
    XCTAssertTrue(html.contains("<svg"), "the Pareto scatter of the two objectives")
    XCTAssertEqual(html.components(separatedBy: "<td>★</td>").count - 1, results.pareto.count)

    // running the sweep again re-uses both finished trials: no new run folder
    let folders = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("trials").path)
    let (dir2, again) = try SweepRunner().run(spec, trials: try SweepTrials.make(spec), options: options())
    XCTAssertEqual(dir2.path, dir.path)
    XCTAssertEqual(again.trials.map(\.reused), [true, true])
    XCTAssertEqual(again.trials.map(\.runFolder), results.trials.map(\.runFolder))
    XCTAssertEqual(again.pareto, results.pareto)
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("trials").path).sorted(),
      folders.sorted())
    for t in again.trials {
      let runs = try FileManager.default.contentsOfDirectory(
        atPath: dir.appendingPathComponent("trials/\(t.id)").path)
      XCTAssertEqual(runs.filter { $0 != "latest" }.count, 1, "\(runs)")
    }

    // a finished trial is also a cache hit for a plain run of the same experiment
    var plain = options().runner
    plain.reportsRoot = scratch.appendingPathComponent("Plain")
    let rerun = try Runner().run(trials[1].experiment, options: plain)
    XCTAssertTrue(rerun.manifest.stages.allSatisfy(\.cacheHit))
  }

  /// With jobs > 1 each trial is a child process; one that fails (here an executable that
  /// exits 1 without writing a run folder) is recorded with its error and the others still run.
  /// With a K210 target, a trial the static check rejects (416×416: the first convolutions fall
  /// back to float on the CPU and overflow main memory after a 5 MiB reserve) is recorded as
  /// infeasible with the check's reason and never trained; the feasible one runs.
  func testInfeasibleTrialsAreReportedAndNeverTrained() throws {
    let text = """
      {"version": 1, "name": "k210", "base": "\(SweepSpaceTests.quick)",
       "set": ["train.epochs=1", "data.train=16", "data.val=8", "simulate.k210.reserve_bytes=5242880"],
       "space": {"model.input_size": [64, 416]}, "search": "grid",
       "objectives": {"float.map50": "max", "k210.latency_ms": "min"}}
      """
    let file = scratch.appendingPathComponent("k210-sweep.json")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let spec = try SweepLoader.load(path: file.path)
    let trials = try SweepTrials.make(spec)
    XCTAssertNil(SweepRunner.infeasibility(trials[0]))
    let (_, results) = try SweepRunner().run(spec, trials: trials, options: options())
    XCTAssertEqual(results.trials.map(\.status), ["succeeded", "infeasible"])
    let error = try XCTUnwrap(results.trials[1].error)
    XCTAssertTrue(error.hasPrefix("does not fit the K210: the model needs"), error)
    XCTAssertNil(results.trials[1].runFolder, "never run")
    XCTAssertGreaterThan(results.trials[0].objectives["k210.latency_ms"] ?? 0, 0)
  }

  func testFailingChildTrialIsRecordedAndTheSweepGoesOn() throws {
    let spec = try sweep()
    let trials = try SweepTrials.make(spec)
    var o = options()
    o.jobs = 2
    o.executable = URL(fileURLWithPath: "/bin/false")
    // an earlier attempt of the first trial left a failed run folder: it must not be taken for
    // this attempt's
    let old = try SweepRunner.directory(spec, reportsRoot: o.runner.reportsRoot)
      .appendingPathComponent("trials/\(trials[0].id)")
    try FileManager.default.createDirectory(
      at: old.appendingPathComponent("earlier"), withIntermediateDirectories: true)
    try #"{"status": "failed", "failed_stage": "train", "error": "earlier"}"#.write(
      to: old.appendingPathComponent("earlier/manifest.json"), atomically: true, encoding: .utf8)
    try FileManager.default.createSymbolicLink(
      atPath: old.appendingPathComponent("latest").path, withDestinationPath: "earlier")
    let (dir, results) = try SweepRunner().run(spec, trials: trials, options: o)
    XCTAssertEqual(results.trials.map(\.status), ["failed", "failed"])
    for t in results.trials {
      XCTAssertEqual(
        t.error,
        "`workbench run` exited with status 1; see \(dir.path)/trials/\(t.id)/output.log")
      XCTAssertNil(t.runFolder)
      XCTAssertNil(t.failedStage)
    }
    XCTAssertEqual(results.pareto, [])
    XCTAssertEqual(
      TrialProcessPool.arguments(trials[0], reports: URL(fileURLWithPath: "/r")),
      [
        "run", SweepSpaceTests.quick, "--set", "train.epochs=1", "--set", "data.train=16", "--set", "data.val=8",
        "--set", "model.width=0.25", "--set", "name=\(trials[0].id)", "--reports", "/r",
      ])
  }
}
