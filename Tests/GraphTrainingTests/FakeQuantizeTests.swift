import Autograd
import Graph
import GraphFixtures
import GraphTraining
import TestSupport
import XCTest

/// The fake-quantization ops: the forward rounding and the straight-through estimator by hand at
/// 2 and 3 bits, and gradients against finite differences where they are defined (at 16 bits
/// the staircase is finer than the difference step, so the STE is the derivative of what the
/// op computes: 1 inside the range, 0 where it clamps).
final class FakeQuantizeTests: XCTestCase {
  /// Range [−1, 2] at 2 bits: s = 3/3 = 1, z = round(1/1) = 1, codes 0…3 (reals −1…2).
  /// code = round(x) + 1, half away from zero; the gradient passes where 0 ≤ code ≤ 3.
  func testActivationRoundingAndStraightThroughEstimatorByHand() {
    let format = ActivationFormat(range: -1...2, bits: 2)
    XCTAssertEqual(format.scale, 1)
    XCTAssertEqual(format.zeroPoint, 1)
    XCTAssertEqual(format.maxCode, 3)
    let xs: [Float] = [-2, -1.4, -0.6, 0.4, 0.5, 1.49, 2.4, 2.6, 3]
    // codes before clamping:   -1, 0,  0,  1, 2, 2,  3,  4,  4
    let expected: [Float] = [-1, -1, -1, 0, 1, 1, 2, 2, 2]
    let mask: [Float] = [0, 1, 1, 1, 1, 1, 1, 0, 0]
    let x = Variable(Tensor(shape: [9], scalars: xs), requiresGrad: true)
    let y = x.fakeQuantized(format)
    XCTAssertEqual(y.value.scalars, expected)
    let seed = Tensor<Float>(shape: [9], scalars: (1...9).map(Float.init))
    y.backward(seed: seed)
    XCTAssertEqual(x.grad?.scalars, zip(mask, seed.scalars).map { $0 * $1 })
  }

  /// A range that does not contain 0 is widened to contain it: [0.5, 2] at 3 bits is [0, 2],
  /// s = 2/7, z = 0.
  func testActivationRangeContainsZero() {
    let format = ActivationFormat(range: 0.5...2, bits: 3)
    XCTAssertEqual(format.scale, 2.0 / 7)
    XCTAssertEqual(format.zeroPoint, 0)
    XCTAssertEqual(format.fakeQuantize(0), 0)
    XCTAssertEqual(format.fakeQuantize(0.9), Float(3 * (2.0 / 7)))  // 0.9/(2/7) = 3.15 → 3
  }

  /// Weights at 3 bits (codes ±3): row 0 has max|w| = 1.5, s = 0.5, and
  /// 0.75 → 1.5 → 2 (away from zero) → 1.0, −1.5 → −3 → −1.5, 0.5 → 1 → 0.5, 1.25 → 2.5 → 3 →
  /// 1.5; the all-zero row 1 gets s = 1. Per tensor the scale is 0.5 for both rows. The gradient
  /// is the identity. A bias on the grid 0.25 rounds 0.3 to 0.25 and −0.4 to −0.5.
  func testWeightAndBiasRoundingByHand() {
    let w = Variable(Tensor(shape: [2, 4], scalars: [0.75, -1.5, 0.5, 1.25, 0, 0, 0, 0]), requiresGrad: true)
    let (q, scales) = w.fakeQuantizedWeight(bits: 3)
    XCTAssertEqual(scales, [0.5, 1])
    XCTAssertEqual(q.value.scalars, [1, -1.5, 0.5, 1.5, 0, 0, 0, 0])
    XCTAssertEqual(w.fakeQuantizedWeight(bits: 3, perChannel: false).scales, [0.5, 0.5])
    let seed = Tensor<Float>(shape: [2, 4], scalars: (1...8).map(Float.init))
    q.backward(seed: seed)
    XCTAssertEqual(w.grad, seed)
    let b = Variable(Tensor(shape: [2], scalars: [0.3, -0.4]), requiresGrad: true)
    let qb = b.fakeQuantizedBias(scales: [0.25, 0.25])
    XCTAssertEqual(qb.value.scalars, [0.25, -0.5])
    qb.backward(seed: Tensor(shape: [2], scalars: [2, 3]))
    XCTAssertEqual(b.grad?.scalars, [2, 3])
  }

  /// At 16 bits over [−1, 2] (step 4.6e-5), central differences with step 1e-2 see the clamp:
  /// derivative 1 inside, 0 outside; the STE gives the same, away from the two edges.
  func testActivationGradientMatchesFiniteDifferencesAtSixteenBits() {
    let format = ActivationFormat(range: -1...2, bits: 16)
    var rng = RandomStream(seed: 31)
    let raw = Tensor<Float>.uniform([200], low: -1.6, high: 2.6, rng: &rng)
    let x = raw.map { v -> Float in abs(v + 1) < 0.03 || abs(v - 2) < 0.03 ? v + 0.1 : v }
    let numeric = GradientChecker.numeric([x], step: 1e-2) { $0[0].fakeQuantized(format) }
    let analytic = GradientChecker.analytic([x]) { $0[0].fakeQuantized(format) }
    XCTAssertTrue(numeric[0].contains(0) && numeric[0].contains { $0 > 0.9 })
    GradientChecker.assertClose("fakeQuantize", analytic: analytic, numeric: numeric, absolute: 5e-3, relative: 0)
  }

  /// The executor under a 24-bit simulation (a grid as fine as float32's precision, so that the
  /// differences are not staircase noise): parameter gradients through fake-quantized inputs,
  /// weights, biases and activations against finite differences of the simulation's inference
  /// output.
  func testSimulatedExecutorGradientsMatchFiniteDifferences() throws {
    var b = GraphBuilder(name: "qat-grad")
    let x = b.input("image", shape: [1, 2, 6, 6])
    let c = try b.add(
      .conv, "c", [x], ["outChannels": .int(4), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let r = try b.add(.relu, "r", [c])
    let p = try b.add(.maxPool, "p", [r], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let dw = try b.add(.conv, "dw", [p], ["outChannels": .int(4), "kernel": .ints([3, 3]), "groups": .int(4)])
    let la = try b.add(.leakyRelu, "la", [dw], ["alpha": .float(0.1)])
    let f = try b.add(.flatten, "f", [la])
    b.output(try b.add(.dense, "d", [f], ["outFeatures": .int(3)]))
    let graph = Fixtures.withValues(try b.finish(), seed: 41)
    let feeds = Fixtures.input(for: graph, batch: 2, seed: 42)
    // generous ranges, so that no value is clamped and the loss is smooth up to the staircase
    var ranges: [String: ClosedRange<Float>] = [:]
    for value in graph.values.map(\.name) + ["image"] { ranges[value] = -4...4 }
    let simulation = try QuantizationSimulation(graph: graph, ranges: ranges, bits: 24)
    let executor = try GraphExecutor(graph: graph)
    executor.simulation = simulation
    let out = try XCTUnwrap(executor.forward(inputs: feeds.mapValues { Variable($0) }, training: false)["d"])
    out.sum().backward()
    for (name, variable) in executor.parameters {
      let grad = try XCTUnwrap(variable.grad, name)
      let value = try XCTUnwrap(graph.parameters[name]?.value, name)
      let indices = [0, value.count / 2, value.count - 1]
      let numeric = try GradientChecker.numeric([value], step: 1e-2, elements: { _ in indices }) { shifted in
        var g = graph
        g.parameters[name]?.value = shifted[0]
        let y = try XCTUnwrap(QuantizationAwareTraining.simulate(g, simulation: simulation, inputs: feeds)["d"])
        return y.scalars.reduce(0) { $0 + Double($1) }
      }
      GradientChecker.assertClose(
        name, analytic: [indices.map { Double(grad.scalars[$0]) }], numeric: numeric, absolute: 2e-3, relative: 2e-2)
    }
  }

  func testBadBitWidthAndMissingRangeAreSentences() throws {
    var b = GraphBuilder(name: "one")
    let x = b.input("x", shape: [1, 4])
    b.output(try b.add(.dense, "d", [x], ["outFeatures": .int(2)]))
    let graph = try b.finish()
    XCTAssertThrowsError(try QuantizationSimulation(graph: graph, ranges: ["x": 0...1, "d": 0...1], bits: 1)) {
      XCTAssertEqual(
        "\($0)", "Graph 'one' cannot be trained quantization-aware: the bit width must be between 2 and 24, got 1.")
    }
    XCTAssertThrowsError(try QuantizationSimulation(graph: graph, ranges: ["x": 0...1], bits: 4)) {
      XCTAssertEqual(
        "\($0)",
        "Graph 'one' cannot be trained quantization-aware: value 'd' has no calibrated range (calibrate the graph that is trained)."
      )
    }
  }
}
