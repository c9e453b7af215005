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

  func testPruningShrinksTheGraphAndQuantizationStartsFromIt() throws {
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
      overrides: [
        "data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8", "compress.prune.ratio=0.5",
        "compress.prune.fine_tune_epochs=1", "quantize.scheme=int8", "quantize.calibration.images=4",
        "evaluate.gates.compressed.map50=>= 0",
      ])
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    let r = try Runner().run(e, options: o)
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
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
      overrides: [
        "data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8", "compress.prune.criterion=taylor",
        "compress.prune.ratio=0.5", "compress.prune.fine_tune_epochs=0",
      ])
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    let r = try Runner().run(e, options: o)
    let record = try JSONDecoder().decode(
      CompressionRecord.self,
      from: Data(contentsOf: r.runDirectory.appendingPathComponent("stages/compress/compression.json")))
    XCTAssertLessThan(Double(record.after.macs), 0.6 * Double(record.before.macs))
    XCTAssertEqual(r.metrics?.variants.map(\.name), ["float", "compressed"])
  }
}
