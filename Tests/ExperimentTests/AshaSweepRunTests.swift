import Foundation
import RunFormat
import Support
import Training
import XCTest

@testable import Experiment

/// A real ASHA sweep of `Experiments/quick.json` in this process: three trials, rungs of 1 and
/// 3 epochs (η 3). The promotion is the one ASHA's rule gives from the rung-0 metrics read back
/// from the run folders; the promoted trial continues its 1-epoch checkpoint and ends bit-identical
/// to a straight 3-epoch run in an empty cache; the stopped trials keep their rung-0 history; a
/// second run re-uses every rung.
final class AshaSweepRunTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-asha-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    Cancellation.set(false)
  }

  override func tearDownWithError() throws {
    Cancellation.set(false)
    try? FileManager.default.removeItem(at: scratch)
  }

  /// Progress lines, collected from any thread.
  final class Lines: @unchecked Sendable {
    private let lock = NSLock()
    private var text = ""
    func append(_ s: String) { lock.withLock { text += s } }
    var all: String { lock.withLock { text } }
  }

  func options(_ lines: Lines, cache: String = "cache") -> SweepRunner.Options {
    var o = SweepRunner.Options()
    o.runner.cache = Cache(root: scratch.appendingPathComponent(cache))
    o.runner.reportsRoot = scratch.appendingPathComponent("Reports")
    o.runner.progress = ProgressReporter(isTerminal: false, write: { lines.append($0) })
    return o
  }

  func metrics(_ run: URL) throws -> RunMetrics {
    try JSONDecoder().decode(RunMetrics.self, from: Data(contentsOf: run.appendingPathComponent("metrics.json")))
  }

  func trainOutputs(_ run: URL) throws -> [String: String] {
    let m = try JSONDecoder().decode(
      RunManifest.self, from: Data(contentsOf: run.appendingPathComponent("manifest.json")))
    return try XCTUnwrap(m.stages.first { $0.name == "train" }).outputs
  }

  func testPromotedTrialContinuesAndEqualsAStraightRun() throws {
    let text = """
      {"version": 1, "name": "asha", "base": "\(SweepSpaceTests.quick)",
       "set": ["data.train=16", "data.val=8"],
       "space": {"train.optimizer.lr": {"log_uniform": [0.001, 0.02]}}, "search": "asha", "trials": 3, "seed": 2,
       "asha": {"min_epochs": 1, "max_epochs": 3, "eta": 3},
       "objectives": {"float.f1": "max", "float.map50": "max"}}
      """
    let file = scratch.appendingPathComponent("asha.json")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let spec = try SweepLoader.load(path: file.path)
    let trials = try SweepTrials.make(spec)
    XCTAssertEqual(trials.count, 3)
    let lines = Lines()
    let (dir, results) = try SweepRunner().run(spec, trials: trials, options: options(lines))
    XCTAssertEqual(results.rungEpochs, [1, 3])
    XCTAssertEqual(results.trials.map(\.id), trials.map(\.id))

    // rung 0: every trial trained 1 epoch; its value read here from its own run folder
    var rung0: [Double] = []
    for t in results.trials {
      let first = try XCTUnwrap(t.rungs?.first)
      XCTAssertEqual(first.epochs, 1)
      XCTAssertEqual(first.status, "succeeded")
      let run = dir.appendingPathComponent(try XCTUnwrap(first.runFolder))
      let experiment = try JSONValue.parse(Data(contentsOf: run.appendingPathComponent("experiment.json")), file: "e")
      XCTAssertEqual(experiment["train"]?["stop_after_epochs"], 1)
      XCTAssertEqual(experiment["train"]?["epochs"], 3)
      let value = try XCTUnwrap(try metrics(run).value("f1", variant: "float"))
      XCTAssertEqual(first.objectives["float.f1"], value)
      rung0.append(value)
    }
    // ASHA with η = 3: after three rung-0 results the top ⌊3/3⌋ = 1 is promoted, the best f1
    // (ties: the earlier trial); nothing else can be promoted
    let promoted = rung0.indices.max { a, b in rung0[a] != rung0[b] ? rung0[a] < rung0[b] : a > b } ?? -1
    for (i, t) in results.trials.enumerated() {
      if i == promoted {
        XCTAssertEqual(t.rungs?.map(\.epochs), [1, 3])
        XCTAssertEqual(t.status, "succeeded")
        XCTAssertEqual(t.epochs, 3)
      } else {
        XCTAssertEqual(t.rungs?.map(\.epochs), [1])
        XCTAssertEqual(t.status, "stopped")
        XCTAssertEqual(t.epochs, 1)
        XCTAssertEqual(t.objectives, t.rungs?.first?.objectives, "a stopped trial keeps its rung-0 values")
      }
    }
    XCTAssertEqual(results.pareto, [trials[promoted].id], "only trials at the top rung are ranked")
    // the promoted trial continued from its rung-0 checkpoint instead of retraining
    XCTAssertEqual(
      lines.all.components(separatedBy: "continuing from the trajectory's checkpoint after epoch 1").count - 1, 1,
      lines.all)
    let trainFolder = scratch.appendingPathComponent("cache/train")
    let stores = try FileManager.default.contentsOfDirectory(atPath: trainFolder.path).filter {
      $0.hasPrefix(".checkpoints-")
    }
    XCTAssertEqual(stores.count, 3, "one trajectory per trial, each with its epoch-1 checkpoint")
    for s in stores {
      XCTAssertEqual(
        try FileManager.default.contentsOfDirectory(atPath: trainFolder.appendingPathComponent(s).path),
        ["epoch-1.json"])
    }

    // bit-identical to a straight 3-epoch run of the same trial in an empty cache
    let top = dir.appendingPathComponent(try XCTUnwrap(results.trials[promoted].rungs?.last?.runFolder))
    var straight = options(Lines(), cache: "fresh-cache").runner
    straight.reportsRoot = scratch.appendingPathComponent("Straight")
    let plain = try Runner().run(trials[promoted].experiment, options: straight)
    XCTAssertFalse(plain.manifest.stages.contains(where: \.cacheHit))
    XCTAssertEqual(try trainOutputs(plain.runDirectory), try trainOutputs(top), "weights, model and history")
    let (m1, m2) = (try metrics(plain.runDirectory), try metrics(top))
    for k in ["f1", "map50", "map50_95", "precision", "recall"] {
      XCTAssertEqual(m1.value(k, variant: "float"), m2.value(k, variant: "float"), k)
    }
    XCTAssertEqual(results.trials[promoted].objectives["float.f1"], m1.value("f1", variant: "float"))

    // rungs.csv: one row per trial and rung
    let csv = try String(contentsOf: dir.appendingPathComponent("rungs.csv"), encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(csv.first, "trial,rung,epochs,status,float.f1,float.map50,run_folder")
    XCTAssertEqual(csv.count, 5)
    XCTAssertEqual(try SweepResults.read(dir).trials, results.trials)

    // again: every rung is re-used, nothing runs
    let runs = try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("trials").path).count
    let (_, again) = try SweepRunner().run(spec, trials: trials, options: options(Lines()))
    XCTAssertEqual(again.trials.flatMap { $0.rungs?.map(\.reused) ?? [] }, [true, true, true, true])
    XCTAssertEqual(again.trials.map(\.status), results.trials.map(\.status))
    XCTAssertEqual(again.trials.map(\.objectives), results.trials.map(\.objectives))
    XCTAssertEqual(
      try FileManager.default.subpathsOfDirectory(atPath: dir.appendingPathComponent("trials").path).count, runs)
  }

  /// TPE through the runner: two random start-up trials, then a proposal from their results;
  /// the third trial is exactly the sampler's proposal from the objectives in trials.json, and
  /// running the sweep again proposes the same trials and re-uses them all.
  func testTPESweepProposesFromFinishedTrialsAndResumes() throws {
    let text = """
      {"version": 1, "name": "tpe", "base": "\(SweepSpaceTests.quick)",
       "set": ["train.epochs=1", "data.train=16", "data.val=8"],
       "space": {"train.optimizer.lr": {"log_uniform": [0.001, 0.02]}, "model.width": [0.25, 0.5]},
       "search": "tpe", "trials": 3, "seed": 5, "tpe": {"startup_trials": 2},
       "objectives": {"float.f1": "max"}}
      """
    let file = scratch.appendingPathComponent("tpe.json")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let spec = try SweepLoader.load(path: file.path)
    let startup = try SweepTrials.make(spec)
    XCTAssertEqual(startup.count, 2)
    let (_, results) = try SweepRunner().run(spec, trials: startup, options: options(Lines()))
    XCTAssertEqual(results.trials.map(\.status), ["succeeded", "succeeded", "succeeded"])
    XCTAssertEqual(Array(results.trials.prefix(2).map(\.id)), startup.map(\.id))
    let observations = results.trials.prefix(2).map { t in
      TPESampler.Observation(
        point: spec.space.map { t.settings[$0.path] ?? .null }, value: t.objectives["float.f1"] ?? .nan)
    }
    let third = TPESampler(spec).propose(index: 2, observations: observations)
    XCTAssertEqual(spec.space.map { results.trials[2].settings[$0.path] }, third)
    let (_, again) = try SweepRunner().run(spec, trials: startup, options: options(Lines()))
    XCTAssertEqual(again.trials.map(\.id), results.trials.map(\.id))
    XCTAssertEqual(again.trials.map(\.reused), [true, true, true])
  }
}
