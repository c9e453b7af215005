import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

/// Empirical bias correction: a dense layer whose weights all round the same way (so the weight
/// error has a non-zero mean), δ checked by hand, and the integer executor's mean output error
/// before and after; a depthwise conv with random weights.
final class BiasCorrectionTests: XCTestCase {
  /// d: 64 inputs → 2 outputs. Row 0 holds 1 and 63 weights (k + 0.4)/127, row 1 their
  /// negatives: with s_w = 1/127 every weight but the ±1 rounds towards zero by 0.4/127, so
  /// ε = W̃ − W is −0.4/127 (row 0) and +0.4/127 (row 1) there, and
  /// δ_0 = −(0.4/127)·Σ_{i ≥ 1} mean(x_i) = −δ_1 ≈ −0.1 (inputs uniform on [0, 1)), about 2.5
  /// output steps. After correction the integer executor's mean output error is below a tenth
  /// of that and of the uncorrected one.
  func testDenseLayerWithBiasedRoundingIsCorrected() throws {
    var b = GraphBuilder(name: "biased")
    let x = b.input("x", shape: [1, 64])
    b.output(try b.add(.dense, "d", [x], ["outFeatures": .int(2)]))
    var graph = try b.finish()
    let rest: [Float] = (0..<63).map { (i: Int) -> Float in Float(10 + i % 30) / 127 + Float(0.4) / 127 }
    let row: [Float] = [1] + rest
    let negated: [Float] = row.map { -$0 }
    graph.parameters["d.weight"]?.value = Tensor(shape: [2, 64], scalars: row + negated)
    graph.parameters["d.bias"]?.value = Tensor(shape: [2], scalars: [0.25, -0.5])
    var rng = RandomStream(seed: 17)
    let batches = (0..<4).map { _ in ["x": Tensor<Float>.uniform([128, 64], low: 0, high: 1, rng: &rng)] }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(graph, scheme: .int8, ranges: ranges)
    let result = try BiasCorrection.correct(graph, quantized: model, batches: batches)

    // δ_0 by hand from the input means
    var means = [Double](repeating: 0, count: 64)
    for batch in batches {
      let t = try XCTUnwrap(batch["x"])
      for (i, v) in t.scalars.enumerated() { means[i % 64] += Double(v) / 512 }
    }
    let expected = -(0.4 / 127) * means.dropFirst().reduce(0, +)
    let delta = try XCTUnwrap(result.corrections["d"])
    XCTAssertEqual(Double(delta[0]), expected, accuracy: 1e-5)
    XCTAssertEqual(Double(delta[1]), -expected, accuracy: 1e-5)
    XCTAssertEqual(expected, -0.099, accuracy: 0.005)
    let bias = try XCTUnwrap(result.graph.parameters["d.bias"]?.value).scalars
    XCTAssertEqual(bias[0], 0.25 - delta[0], accuracy: 1e-7)
    XCTAssertEqual(result.graph.parameters["d.weight"], graph.parameters["d.weight"])

    let corrected = try SchemeQuantization.quantize(result.graph, scheme: .int8, ranges: ranges)
    let before = try meanError(graph, model, batches, output: "d")
    let after = try meanError(graph, corrected, batches, output: "d")
    XCTAssertEqual(before[0], expected, accuracy: 0.01)
    for c in 0..<2 {
      XCTAssertLessThan(abs(after[c]), 0.01, "channel \(c)")
      XCTAssertLessThan(abs(after[c]), abs(before[c]) / 10, "channel \(c)")
    }
  }

  /// A depthwise 3×3 conv (8 channels, random weights, no bias) after a ReLU: the corrections
  /// are added as a bias and the summed |mean error| of the channels drops at least threefold.
  func testDepthwiseConvolutionGetsABiasAndASmallerMeanError() throws {
    var b = GraphBuilder(name: "dw")
    let x = b.input("x", shape: [1, 8, 10, 10])
    let r = try b.add(.relu, "r", [x])
    b.output(
      try b.add(
        .conv, "dw", [r],
        [
          "outChannels": .int(8), "kernel": .ints([3, 3]), "groups": .int(8), "padding": .ints([1, 1, 1, 1]),
          "bias": .bool(false),
        ]))
    let graph = Fixtures.withValues(try b.finish(), seed: 23)
    let batches = (0..<4).map { Fixtures.input(for: graph, batch: 8, seed: UInt64(60 + $0)) }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let model = try SchemeQuantization.quantize(graph, scheme: .int8, ranges: ranges)
    let result = try BiasCorrection.correct(graph, quantized: model, batches: batches)
    XCTAssertEqual(result.graph.node(named: "dw")?.bool("bias"), true)
    XCTAssertNoThrow(try result.graph.validate())
    let corrected = try SchemeQuantization.quantize(result.graph, scheme: .int8, ranges: ranges)
    let before = try meanError(graph, model, batches, output: "dw").map(abs).reduce(0, +)
    let after = try meanError(graph, corrected, batches, output: "dw").map(abs).reduce(0, +)
    XCTAssertGreaterThan(before, 0)
    XCTAssertLessThan(after, before / 3)
  }

  func testNoBatchesIsASentence() throws {
    let graph = Fixtures.withValues(try Fixtures.everyOp())
    let model = QuantizedModel(graph: graph, table: QuantizationTable(scheme: .int8), fusedActivations: [:])
    XCTAssertThrowsError(try BiasCorrection.correct(graph, quantized: model, batches: [])) { error in
      XCTAssertEqual(
        "\(error)", "Graph 'every-op' cannot be calibrated without inputs: give at least one calibration batch.")
    }
  }

  /// Per channel (axis 1), the mean of (integer executor − float) over every batch and position.
  private func meanError(
    _ graph: ModelGraph, _ model: QuantizedModel, _ batches: [[String: Tensor<Float>]], output: String
  ) throws -> [Double] {
    let executor = try SchemeQuantization.executor(for: model)
    var sums: [Double] = [], count = 0
    for batch in batches {
      let x = try XCTUnwrap(graph.evaluate(inputs: batch)[output])
      let y = try XCTUnwrap(executor.run(inputs: batch)[output])
      let channels = x.shape[1], per = x.count / (x.shape[0] * channels)
      if sums.isEmpty { sums = [Double](repeating: 0, count: channels) }
      for i in 0..<x.count { sums[(i / per) % channels] += Double(y.scalars[i]) - Double(x.scalars[i]) }
      count += x.count / channels
    }
    return sums.map { $0 / Double(count) }
  }
}
