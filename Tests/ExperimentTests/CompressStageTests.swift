import Graph
import RunFormat
import Support
import Training
import XCTest

@testable import Experiment

/// A `compress` section prunes the trained model's channels physically, fine-tunes it, scores
/// it as the `compressed` variant, and the quantize stage then starts from it.
final class CompressStageTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-compress-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  /// Runs `Experiments/quick.json` with `overrides` on this test's scratch cache.
  func runQuick(_ overrides: [String]) throws -> Runner.Result {
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path, overrides: overrides)
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    return try Runner().run(e, options: o)
  }

  func testPruningShrinksTheGraphAndQuantizationStartsFromIt() throws {
    let r = try runQuick([
      "data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8", "compress.prune.ratio=0.5",
      "compress.prune.fine_tune_epochs=1", "quantize.scheme=int8", "quantize.calibration.images=4",
      "evaluate.gates.compressed.map50=>= 0",
    ])
    XCTAssertEqual(
      r.manifest.stages.map(\.name),
      [
        "data", "model", "train", "compress", "quantize", "evaluate-float", "evaluate-compressed",
        "evaluate-quantized",
      ])
    XCTAssertEqual(r.metrics?.variants.map(\.name), ["float", "compressed", "quantized"])
    let folder = r.runDirectory.appendingPathComponent("stages")
    let record = try JSONDecoder().decode(
      CompressionRecord.self, from: Data(contentsOf: folder.appendingPathComponent("compress/compression.json")))
    // half of every prunable group's channels (rounded to 8) are gone: MACs and parameters drop
    // to well under 60 %, while the heads keep their outputs
    XCTAssertLessThan(Double(record.after.macs), 0.6 * Double(record.before.macs))
    XCTAssertLessThan(Double(record.after.parameters), 0.6 * Double(record.before.parameters))
    let trained = try ModelGraph.read(folder.appendingPathComponent("train/model.json"))
    let pruned = try ModelGraph.read(folder.appendingPathComponent("compress/model.json"))
    var shrunk = 0
    for (a, b) in zip(trained.nodes, pruned.nodes) where a.op == .conv {
      let before = a.int("outChannels"), after = b.int("outChannels")
      if trained.outputs.contains(where: { $0.name == a.outputs[0] }) {
        XCTAssertEqual(after, before, "output layer \(a.name) keeps its channels")
      } else {
        // 8-channel layers stay at 8 (round_to 8); wider ones lose half, in multiples of 8
        XCTAssertLessThanOrEqual(after, before, a.name)
        XCTAssertEqual(after % 8, 0, a.name)
        if before >= 16 { XCTAssertEqual(after, before / 2, a.name) }
        if after < before { shrunk += 1 }
      }
    }
    XCTAssertGreaterThan(shrunk, 3)
    // the quantized model is the pruned one
    let quantized = try QuantizedModelFile.load(folder.appendingPathComponent("quantize/model.quantized.h5").path)
    XCTAssertEqual(
      quantized.graph.nodes.filter { $0.op == .conv }.map { $0.int("outChannels") },
      pruned.nodes.filter { $0.op == .conv }.map { $0.int("outChannels") })
  }

  func testTaylorCriterionPrunesFromTheTrainObjectivesGradients() throws {
    let r = try runQuick([
      "data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8", "compress.prune.criterion=taylor",
      "compress.prune.ratio=0.5", "compress.prune.fine_tune_epochs=0",
    ])
    let record = try JSONDecoder().decode(
      CompressionRecord.self,
      from: Data(contentsOf: r.runDirectory.appendingPathComponent("stages/compress/compression.json")))
    XCTAssertLessThan(Double(record.after.macs), 0.6 * Double(record.before.macs))
    XCTAssertEqual(r.metrics?.variants.map(\.name), ["float", "compressed"])
  }

  func testSensitivityCurvesChooseTheRatiosAndAreCachedApart() throws {
    let overrides = [
      "data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8", "compress.prune.ratios=sensitivity",
      "compress.prune.sensitivity.ratios=[0.25,0.5,0.75]", "compress.prune.fine_tune_epochs=0",
    ]
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path, overrides: overrides)
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    let r = try Runner().run(e, options: o)
    XCTAssertEqual(
      r.manifest.stages.map(\.name),
      ["data", "model", "train", "sensitivity", "compress", "evaluate-float", "evaluate-compressed"])
    let folder = r.runDirectory.appendingPathComponent("stages")
    let curves = try JSONDecoder().decode(
      SensitivityRecord.self, from: Data(contentsOf: folder.appendingPathComponent("sensitivity/sensitivity.json")))
    XCTAssertEqual(curves.kpi, "map50")
    XCTAssertEqual(curves.samples, 8, "the whole 8-image split (fewer than the 128 asked)")
    // on the whole split, the baseline is the evaluate stage's mAP@0.5 of the trained model
    XCTAssertEqual(curves.baseline, try XCTUnwrap(r.metrics?.value("map50", variant: "float")), accuracy: 1e-9)
    let trained = try ModelGraph.read(folder.appendingPathComponent("train/model.json"))
    let planner = try PruningPlanner(graph: trained, roundTo: 8)
    XCTAssertEqual(curves.curves.map(\.group), planner.candidates.map(\.id))
    XCTAssertEqual(curves.curves.first?.points.map(\.ratio), [0.25, 0.5, 0.75])
    // the chosen ratios meet the MACs of the uniform 0.5 plan (the ratio target as a budget)
    let record = try JSONDecoder().decode(
      CompressionRecord.self, from: Data(contentsOf: folder.appendingPathComponent("compress/compression.json")))
    let uniform = try planner.cost(of: try planner.plan(.ratio(0.5))).totalMACs
    XCTAssertLessThanOrEqual(record.after.macs, uniform)
    let ratios = try XCTUnwrap(record.ratios)
    XCTAssertEqual(Set(ratios.keys), Set(planner.candidates.map(\.id)))
    XCTAssertTrue(ratios.values.allSatisfy { [0, 0.25, 0.5, 0.75].contains($0) }, "\(ratios)")
    // a different fine-tuning re-uses the cached curves
    let again = try Runner().run(
      try ExperimentLoader.load(
        path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
        overrides: overrides.dropLast() + ["compress.prune.fine_tune_epochs=1"]), options: o)
    let stages = Dictionary(again.manifest.stages.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    XCTAssertEqual(stages["sensitivity"]?.cacheHit, true)
    XCTAssertEqual(stages["compress"]?.cacheHit, false)
  }

  func testSensitivityProblemsNameTheirPaths() throws {
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
      overrides: ["compress.prune.sensitivity.ratios=[0.5,1]", "compress.prune.ratio=1"])
    XCTAssertEqual(
      e.settings.compress?.prune.problems,
      [
        "compress.prune.ratio: must be at least 0 and below 1 (the share of channels removed), got 1.0.",
        "compress.prune.sensitivity.ratios[1]: must be above 0 and below 1, got 1.0.",
      ])
    XCTAssertEqual(e.settings.compress?.prune.analysesSensitivity, true)
    XCTAssertEqual(e.settings.compress?.prune.ratios, .uniform)
    XCTAssertThrowsError(
      try ExperimentLoader.load(
        path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
        overrides: ["compress.prune.ratios=sensitive"])
    ) { error in
      XCTAssertTrue("\(error)".contains("compress.prune.ratios"), "\(error)")
      XCTAssertTrue("\(error)".contains("did you mean \"sensitivity\"?"), "\(error)")
    }
  }

  func testLowRankFactorisationFollowsPruningAndFineTunes() throws {
    let r = try runQuick([
      "data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8", "compress.prune.ratio=0",
      "compress.low_rank.energy=0.6", "compress.prune.fine_tune_epochs=1",
    ])
    let folder = r.runDirectory.appendingPathComponent("stages")
    let trained = try ModelGraph.read(folder.appendingPathComponent("train/model.json"))
    let compressed = try ModelGraph.read(folder.appendingPathComponent("compress/model.json"))
    let planner = try LowRankPlanner(graph: trained)
    let ranks = planner.ranks(energy: 0.6)
    XCTAssertFalse(ranks.isEmpty)
    XCTAssertEqual(
      Set(compressed.nodes.map(\.name).filter { $0.hasSuffix("_lr") }), Set(ranks.keys.map { $0 + "_lr" }))
    for (node, rank) in ranks {
      XCTAssertEqual(compressed.parameters["\(node)_lr.weight"]?.shape.first, rank, node)
      XCTAssertEqual(compressed.parameters["\(node).weight"]?.shape.suffix(3), [rank, 1, 1], node)
    }
    // the compressed model's MACs are the planner's closed form r·(C·k² + N)·H·W per layer
    let record = try JSONDecoder().decode(
      CompressionRecord.self, from: Data(contentsOf: folder.appendingPathComponent("compress/compression.json")))
    XCTAssertEqual(record.after.macs, planner.macs(ranks))
    XCTAssertLessThan(record.after.macs, record.before.macs)
    XCTAssertNotNil(r.metrics?.value("map50", variant: "compressed"))
  }
}
