import Graph
import Quantization
import RunFormat
import Support
import Tensors
import Training
import XCTest

@testable import Experiment

/// A `quantize` section adds the quantize stage and the `quantized` model variant, scored by the
/// scheme's integer executor with the same evaluation code as float.
final class QuantizeStageTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-quantize-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  static let quick = RunnerTests.root.appendingPathComponent("Experiments/quick.json").path

  func run(_ overrides: [String], cache: String = "cache") throws -> Runner.Result {
    let e = try ExperimentLoader.load(
      path: Self.quick,
      overrides: ["data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8"] + overrides)
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent(cache))
    o.reportsRoot = scratch.appendingPathComponent("Reports-\(cache)")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    return try Runner().run(e, options: o)
  }

  func testTheQuantizedVariantIsEvaluatedByTheIntegerExecutorOfTheSavedModel() throws {
    let r = try run([
      "quantize.scheme=int8", "quantize.calibration.images=8", "evaluate.gates.quantized.map50=>= 0",
    ])
    XCTAssertEqual(
      r.manifest.stages.map(\.name), ["data", "model", "train", "quantize", "evaluate-float", "evaluate-quantized"])
    XCTAssertEqual(r.metrics?.variants.map(\.name), ["float", "quantized"])
    XCTAssertEqual(r.manifest.gates.map(\.metric), ["map50", "quantized.map50"])
    let stage = r.runDirectory.appendingPathComponent("stages/quantize")
    let summary = try JSONDecoder().decode(
      QuantizationSummary.self, from: Data(contentsOf: stage.appendingPathComponent("quantization.json")))
    XCTAssertEqual(summary.scheme, "int8")
    XCTAssertEqual(summary.images, 8)
    // every conv weight is int8 per channel; every activation has its calibration record
    let model = try QuantizedModelFile.load(stage.appendingPathComponent("model.quantized.h5").path)
    let convs = model.graph.nodes.filter { $0.op == .conv }
    XCTAssertFalse(convs.isEmpty)
    for conv in convs {
      let w = try XCTUnwrap(summary.tensors.first { $0.name == "\(conv.name).weight" })
      XCTAssertEqual(w.elementType, "int8")
      XCTAssertEqual(w.scales.count, conv.int("outChannels"))
      XCTAssertEqual(model.graph.parameters["\(conv.name).weight"]?.elementType, .int8)
    }
    for t in summary.tensors where t.kind == "activation" && t.name != "image" {
      XCTAssertNotNil(t.histogram, t.name)
      XCTAssertNotNil(t.sqnr, t.name)
      XCTAssertGreaterThan(t.cosine ?? 0, 0.9, t.name)
    }
  }

  func testCalibrationAndQuantizationAreReproducible() throws {
    let a = try run(["quantize.scheme=k210", "quantize.calibration.images=8"], cache: "a")
    let b = try run(["quantize.scheme=k210", "quantize.calibration.images=8"], cache: "b")
    let file = "stages/quantize/quantization.json"
    XCTAssertEqual(
      try Data(contentsOf: a.runDirectory.appendingPathComponent(file)),
      try Data(contentsOf: b.runDirectory.appendingPathComponent(file)))
    XCTAssertEqual(a.metrics?.variants, b.metrics?.variants)
  }

  func testEqualisationQATAndBiasCorrectionRunInOrderAndAreRecorded() throws {
    let r = try run([
      "quantize.scheme=int8", "quantize.calibration.images=8", "quantize.equalize=true",
      "quantize.bias_correction=true", "quantize.qat.epochs=1",
    ])
    let summary = try JSONDecoder().decode(
      QuantizationSummary.self,
      from: Data(contentsOf: r.runDirectory.appendingPathComponent("stages/quantize/quantization.json")))
    XCTAssertEqual(
      summary.passes, ["cross-layer equalisation", "quantization-aware training (1 epochs)", "bias correction"])
    XCTAssertEqual(r.metrics?.variants.map(\.name), ["float", "quantized"])
    // power-of-two int16 has no QAT simulation: a sentence, not a silent skip
    XCTAssertThrowsError(
      try run(["quantize.scheme=gap8-pow2", "quantize.calibration.images=4", "quantize.qat.epochs=1"], cache: "p")
    ) { XCTAssertTrue("\($0)".contains("gap8-pow2 is power-of-two fixed point"), "\($0)") }
  }

  func testMixedPrecisionPromotesTheLeastAccurateLayersWithinTheBudget() throws {
    func weights(_ r: Runner.Result) throws -> [QuantizationSummary.Tensor] {
      try JSONDecoder().decode(
        QuantizationSummary.self,
        from: Data(contentsOf: r.runDirectory.appendingPathComponent("stages/quantize/quantization.json"))
      ).tensors.filter { $0.kind == "weight" && $0.name.hasSuffix(".weight") }
    }
    let base = ["quantize.scheme=gap8-pow2", "quantize.bits=8", "quantize.calibration.images=4"]
    let all = try run(base + ["quantize.mixed_precision.memory_bytes=100000000"], cache: "all")
    let allWeights = try weights(all)
    XCTAssertFalse(allWeights.isEmpty)
    XCTAssertTrue(allWeights.allSatisfy { $0.elementType == "int16" }, "\(allWeights.map(\.elementType))")
    // a budget of the 8-bit weights plus 1,000 bytes: only layers with at most 1,000 weights
    // in total can move, the lowest-SQNR first
    let eightBit = try run(base, cache: "eight")
    let counts = try ModelGraph.read(
      eightBit.runDirectory.appendingPathComponent("stages/train/model.deploy.json")
    ).parameters.filter { $0.key.hasSuffix(".weight") }.mapValues { $0.shape.reduce(1, *) }
    let total = counts.values.reduce(0, +)
    let some = try run(base + ["quantize.mixed_precision.memory_bytes=\(total + 1000)"], cache: "some")
    let promoted = try weights(some).filter { $0.elementType == "int16" }
    XCTAssertLessThanOrEqual(promoted.reduce(0) { $0 + (counts[$1.name] ?? 0) }, 1000)
    XCTAssertFalse(promoted.isEmpty)
    XCTAssertTrue(try weights(eightBit).allSatisfy { $0.elementType == "int8" })
    // a budget below the 8-bit weights is a sentence
    XCTAssertThrowsError(try run(base + ["quantize.mixed_precision.memory_bytes=10"], cache: "none")) {
      XCTAssertTrue("\($0)".contains("more than the budget of 10"), "\($0)")
    }
  }

  func testUnknownSchemeAndMethodNamesAreErrorsWithSuggestions() throws {
    XCTAssertThrowsError(
      try ExperimentLoader.load(path: Self.quick, overrides: ["quantize.scheme=k21", "quantize.calibration.method=kl"])
    ) { error in
      let text = "\(error)"
      XCTAssertTrue(text.contains("quantize.scheme"), text)
      XCTAssertTrue(text.contains("k210"), text)
      XCTAssertTrue(text.contains("quantize.calibration.method"), text)
      XCTAssertTrue(text.contains("kld"), text)
    }
    // a scheme without a choice of bit width says so instead of ignoring the setting
    XCTAssertThrowsError(try run(["quantize.scheme=k210", "quantize.bits=4", "quantize.calibration.images=4"])) {
      XCTAssertTrue("\($0)".contains("8 bits only, got bits = 4"), "\($0)")
    }
  }
}
