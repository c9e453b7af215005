import XCTest

@testable import Tensors

/// The one-sweep training forward against the two kernels it fuses (statistics, then
/// normalize): outputs and statistics must be identical to the bit, with and without a fused
/// activation, for planes that leave SIMD tails and for one-channel and many-channel inputs.
final class BatchNormTrainingForwardTests: XCTestCase {
  func testEqualsStatisticsThenNormalizeBitForBit() {
    var rng = RandomStream(seed: 11).split("bn-forward")
    let activations: [BatchNormKernel.Activation?] = [nil, .relu, .leakyRelu(0.1)]
    for shape in [[4, 3, 7, 5], [2, 1, 33, 17], [16, 8, 12, 12], [3, 20]] {
      let c = shape[1]
      let x = Tensor<Float>.normal(shape, rng: &rng) * 3 + 1.5
      let gamma = Tensor<Float>.normal([c], rng: &rng), beta = Tensor<Float>.normal([c], rng: &rng)
      for activation in activations {
        let stats = BatchNormKernel.statistics(x, epsilon: 1e-5)
        let expected = BatchNormKernel.normalize(
          x, mean: stats.mean, invStd: stats.invStd, gamma: gamma, beta: beta, activation: activation)
        let (y, fused) = BatchNormKernel.trainingForward(
          x, epsilon: 1e-5, gamma: gamma, beta: beta, activation: activation)
        XCTAssertEqual(y.shape, x.shape)
        XCTAssertEqual(
          y.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), "\(shape) \(String(describing: activation))")
        XCTAssertEqual(fused.mean.map(\.bitPattern), stats.mean.map(\.bitPattern))
        XCTAssertEqual(fused.variance.map(\.bitPattern), stats.variance.map(\.bitPattern))
        XCTAssertEqual(fused.invStd.map(\.bitPattern), stats.invStd.map(\.bitPattern))
      }
    }
  }

  func testHandComputedChannel() {
    // one channel [1, 2, 3, 4]: mean 2.5, biased variance 1.25; γ = 2, β = 1, ε = 0
    let x = Tensor<Float>(shape: [1, 1, 2, 2], scalars: [1, 2, 3, 4])
    let (y, stats) = BatchNormKernel.trainingForward(
      x, epsilon: 0, gamma: Tensor(shape: [1], scalars: [2]), beta: Tensor(shape: [1], scalars: [1]))
    XCTAssertEqual(stats.mean, [2.5])
    XCTAssertEqual(stats.variance, [1.25])
    let s = 1 / Float(1.25).squareRoot()
    for (got, v) in zip(y.scalars, [Float(1), 2, 3, 4]) { XCTAssertEqual(got, 2 * (v - 2.5) * s + 1, accuracy: 1e-6) }
  }
}

/// The fused activation's derivative in the backward pass, read off the recomputed normalised
/// value: it must equal the derivative masked by the activated output's sign, applied to the
/// incoming gradient before a plain BatchNorm backward (hand-composed here).
final class BatchNormActivationBackwardTests: XCTestCase {
  func testSignFromRecomputedInputMatchesTheOutputsSign() {
    var rng = RandomStream(seed: 5).split("bn-backward")
    for activation in [BatchNormKernel.Activation.relu, .leakyRelu(0.1)] {
      for training in [true, false] {
        let x = Tensor<Float>.normal([3, 4, 5, 7], rng: &rng)
        let g = Tensor<Float>.normal([3, 4, 5, 7], rng: &rng)
        let gamma = Tensor<Float>.normal([4], rng: &rng), beta = Tensor<Float>.normal([4], rng: &rng)
        let stats = BatchNormKernel.statistics(x, epsilon: 1e-5)
        let y = BatchNormKernel.normalize(
          x, mean: stats.mean, invStd: stats.invStd, gamma: gamma, beta: beta, activation: activation)
        let masked = Tensor(
          shape: g.shape,
          scalars: zip(g.scalars, y.scalars).map { gi, yi in yi > 0 ? gi : activation.negativeSlope * gi })
        let fused = BatchNormKernel.backward(
          g, x: x, mean: stats.mean, invStd: stats.invStd, gamma: gamma, training: training, activation: activation,
          beta: beta)
        let plain = BatchNormKernel.backward(
          masked, x: x, mean: stats.mean, invStd: stats.invStd, gamma: gamma, training: training)
        for (a, b) in zip(fused.dx.scalars, plain.dx.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4 * max(1, abs(b))) }
        for (a, b) in zip(fused.dgamma.scalars, plain.dgamma.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
        for (a, b) in zip(fused.dbeta.scalars, plain.dbeta.scalars) { XCTAssertEqual(a, b, accuracy: 1e-4) }
      }
    }
  }
}
