import Graph
import GraphFixtures
import Quantization
import RunFormat
import Support
import Training
import XCTest

@testable import Experiment

/// `export` writes model.onnx and model.kmodel; the `kmodel` variant runs the kmodel's bytes in
/// the simulator and lands on the K210 executor's outputs.
final class ExportStageTests: XCTestCase {
  func testTheKModelVariantRunsTheExportedBytesAsTheK210Executor() throws {
    try exportAndCompare(version: 3)
  }

  /// The same with `export.kmodel.version` 5: the V5 file (nncase 1.x) run by the V5 simulator.
  func testTheKModelVariantRunsAnExportedV5() throws {
    try exportAndCompare(version: 5)
  }

  func exportAndCompare(version: Int) throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
      overrides: [
        "data.train=16", "data.val=8", "data.image_size=128", "train.epochs=1", "train.batch_size=8",
        "quantize.scheme=k210", "quantize.calibration.images=4", "export.kmodel.version=\(version)",
        "export.onnx.opset=17",
      ])
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    let r = try Runner().run(e, options: o)
    XCTAssertEqual(r.metrics?.variants.map(\.name), ["float", "quantized", "kmodel"])
    let stages = r.runDirectory.appendingPathComponent("stages")
    let onnx = try Data(contentsOf: stages.appendingPathComponent("export/model.onnx"))
    XCTAssertGreaterThan(onnx.count, 1000)
    let bytes = [UInt8](try Data(contentsOf: stages.appendingPathComponent("export/model.kmodel")))
    if version == 3 {
      XCTAssertEqual(Array(bytes[0..<4]), [3, 0, 0, 0], "kmodel V3 starts with its version")
      // the writer's passes (all on by default) and their effect
      let passes = try JSONSerialization.jsonObject(
        with: Data(contentsOf: stages.appendingPathComponent("export/\(ExportStage.passesFile)")))
      let list = try XCTUnwrap((passes as? [String: Any])?["passes"] as? [[String: Any]])
      XCTAssertEqual(
        list.compactMap { $0["name"] as? String }, ["concat elimination", "cancel requantize", "upsample fast path"])
      XCTAssertEqual(list.compactMap { $0["enabled"] as? Bool }, [true, true, true])
      let final = try XCTUnwrap((passes as? [String: Any])?["final"] as? [String: Any])
      XCTAssertEqual(final["arena_bytes"] as? Int, Int(bytes[20]) | Int(bytes[21]) << 8 | Int(bytes[22]) << 16)
    } else {
      XCTAssertEqual(Array(bytes[0..<8]), Array("LDMK".utf8) + [5, 0, 0, 0], "kmodel V5 starts with 'KMDL', 5")
    }
    let quantized = try QuantizedModelFile.load(stages.appendingPathComponent("quantize/model.quantized.h5").path)
    let batch = Fixtures.input(for: quantized.graph, batch: 2, seed: 5)
    let a = try InferenceEngine.quantized(quantized).run(batch)
    let b = try InferenceEngine.kmodel(bytes: bytes, quantized: quantized).run(batch)
    for output in quantized.graph.outputs {
      let x = try XCTUnwrap(a[output.name]), y = try XCTUnwrap(b[output.name])
      XCTAssertEqual(x.shape, y.shape)
      // the same codes, dequantized as q·scale + bias (simulator) or (q − z)·scale (executor)
      let scale = x.scalars.map { abs($0) }.max() ?? 1
      for (u, v) in zip(x.scalars, y.scalars) { XCTAssertEqual(u, v, accuracy: 1e-5 * max(scale, 1)) }
    }
    // the two variants' KPIs are the same numbers
    let metrics = try XCTUnwrap(r.metrics)
    XCTAssertEqual(metrics.value("map50", variant: "kmodel"), metrics.value("map50", variant: "quantized"))
  }
}
