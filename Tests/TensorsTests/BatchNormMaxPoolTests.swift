import XCTest

@testable import Tensors

/// BatchNorm in training followed by a 2×2 max pool as one kernel, against the separate
/// kernels: pooled output, winners, statistics and all three gradients identical to the bit,
/// with and without an activation (ReLU makes many tied zeros, which must resolve to the same
/// winner), for even and odd sizes, rows with and without a vector part, one to many
/// channels, and gradient planes kept between the backward's passes or built again.
final class BatchNormMaxPoolTests: XCTestCase {
  func testEqualsTrainingForwardThenPoolAndTheirBackwardsBitForBit() {
    var rng = RandomStream(seed: 12).split("bn-pool")
    let activations: [BatchNormKernel.Activation?] = [nil, .relu, .leakyRelu(0.1)]
    let pool = Pool2DParameters(kernel: 2)
    // the backward keeps each channel's built gradient planes for its second pass when they fit
    // in keptPlanesBytes and builds them again otherwise: the last shape's five do not fit
    let rebuilt = [5, 1, 232, 232]
    XCTAssertGreaterThan(5 * 232 * 232 * MemoryLayout<Float>.stride, BatchNormKernel.keptPlanesBytes)
    for shape in [[4, 3, 7, 5], [2, 1, 33, 18], [16, 8, 12, 12], [3, 2, 2, 2], [2, 4, 5, 40], rebuilt] {
      let c = shape[1]
      let x = Tensor<Float>.normal(shape, rng: &rng) * 3 + 1.5
      let gamma = Tensor<Float>.normal([c], rng: &rng), beta = Tensor<Float>.normal([c], rng: &rng)
      for activation in activations {
        let what = "\(shape) \(String(describing: activation))"
        let (full, stats) = BatchNormKernel.trainingForward(
          x, epsilon: 1e-5, gamma: gamma, beta: beta, activation: activation)
        let (expected, expectedArgmax) = Pooling.maxForward(full, pool)
        let (y, argmax, fused) = BatchNormKernel.trainingForwardMaxPool(
          x, epsilon: 1e-5, gamma: gamma, beta: beta, activation: activation)
        XCTAssertEqual(y.shape, expected.shape, what)
        XCTAssertEqual(y.scalars.map(\.bitPattern), expected.scalars.map(\.bitPattern), what)
        XCTAssertEqual(argmax.scalars, expectedArgmax.scalars, what)
        XCTAssertEqual(fused.mean.map(\.bitPattern), stats.mean.map(\.bitPattern), what)
        XCTAssertEqual(fused.variance.map(\.bitPattern), stats.variance.map(\.bitPattern), what)
        XCTAssertEqual(fused.invStd.map(\.bitPattern), stats.invStd.map(\.bitPattern), what)

        let g = Tensor<Float>.normal(y.shape, rng: &rng)
        let routed = Pooling.maxBackward(g, argmax: expectedArgmax, inputShape: x.shape)
        let separate = BatchNormKernel.backward(
          routed, x: x, mean: stats.mean, invStd: stats.invStd, gamma: gamma, training: true, activation: activation,
          beta: beta)
        let together = BatchNormKernel.backwardMaxPool(
          g, argmax: argmax, x: x, mean: fused.mean, invStd: fused.invStd, gamma: gamma, activation: activation,
          beta: beta)
        XCTAssertEqual(together.dx.scalars.map(\.bitPattern), separate.dx.scalars.map(\.bitPattern), what)
        XCTAssertEqual(together.dgamma.scalars.map(\.bitPattern), separate.dgamma.scalars.map(\.bitPattern), what)
        XCTAssertEqual(together.dbeta.scalars.map(\.bitPattern), separate.dbeta.scalars.map(\.bitPattern), what)
      }
    }
  }

  /// A hand-computed plane: one channel [[1, 2], [4, 3]] normalises to γ·(x − 2.5)/√1.25 + β;
  /// the max is the 4 at index 2, and only it receives the pooled gradient.
  func testHandComputedPlane() {
    let x = Tensor<Float>(shape: [1, 1, 2, 2], scalars: [1, 2, 4, 3])
    let gamma = Tensor<Float>(shape: [1], scalars: [2]), beta = Tensor<Float>(shape: [1], scalars: [1])
    let (y, argmax, _) = BatchNormKernel.trainingForwardMaxPool(x, epsilon: 0, gamma: gamma, beta: beta)
    XCTAssertEqual(argmax.scalars, [2])
    XCTAssertEqual(y.scalars[0], 2 * (4 - 2.5) / Float(1.25).squareRoot() + 1, accuracy: 1e-6)
    // dβ = Σ g = 1 (only the winner gets it); dγ = x̂ at the winner = 1.5/√1.25
    let r = BatchNormKernel.backwardMaxPool(
      Tensor(shape: [1, 1, 1, 1], scalars: [1]), argmax: argmax, x: x, mean: [2.5],
      invStd: [1 / Float(1.25).squareRoot()], gamma: gamma)
    XCTAssertEqual(r.dbeta.scalars[0], 1, accuracy: 1e-6)
    XCTAssertEqual(r.dgamma.scalars[0], 1.5 / Float(1.25).squareRoot(), accuracy: 1e-6)
  }
}
