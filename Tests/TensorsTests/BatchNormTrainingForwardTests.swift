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
