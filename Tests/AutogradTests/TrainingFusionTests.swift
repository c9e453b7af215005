import XCTest

@testable import Autograd

/// In training, `conv2dBatchNorm` with a 2×2 max pool runs the BatchNorm and the pool as one op
/// (`batchNormMaxPool2x2`): its value, the running statistics it leaves and every gradient
/// (input, weight, bias, γ, β) equal those of conv2d → batchNorm → maxPool2d to the bit.
final class TrainingFusionTests: XCTestCase {
  func testFusedTrainingEqualsTheOpsInSequenceToTheBit() {
    for (k, (n, c, size, o)) in [(4, 3, 17, 8), (2, 8, 12, 16), (3, 4, 5, 6)].enumerated() {
      for activation in [nil, .relu, .leakyRelu(0.1)] as [BatchNormKernel.Activation?] {
        func run(fused: Bool) -> (y: Tensor<Float>, grads: [Tensor<Float>], mean: [Float], variance: [Float]) {
          var rng = RandomStream(seed: UInt64(k))
          let x = Variable(Tensor<Float>.normal([n, c, size, size], rng: &rng), requiresGrad: true)
          let w = Variable(Tensor<Float>.normal([o, c, 3, 3], rng: &rng) * 0.3, requiresGrad: true)
          let b = Variable(Tensor<Float>.uniform([o], low: -0.1, high: 0.1, rng: &rng), requiresGrad: true)
          let gamma = Variable(Tensor<Float>.uniform([o], low: -1.5, high: 1.5, rng: &rng), requiresGrad: true)
          let beta = Variable(Tensor<Float>.uniform([o], low: -0.5, high: 0.5, rng: &rng), requiresGrad: true)
          let weights = Tensor<Float>.normal([n, o, size / 2, size / 2], rng: &rng)
          let state = BatchNormState(channels: o)
          let p = Conv2DParameters(padding: 1), pool = Pool2DParameters(kernel: 2)
          let y =
            fused
            ? x.conv2dBatchNorm(
              weight: w, bias: b, p, gamma: gamma, beta: beta, state: state, training: true, activation: activation,
              maxPool: pool)
            : x.conv2d(weight: w, bias: b, p)
              .batchNorm(gamma: gamma, beta: beta, state: state, training: true, activation: activation)
              .maxPool2d(pool)
          XCTAssertEqual(y.op, fused ? "batchNormMaxPool" : "maxPool2d")
          (y * Variable(weights)).sum().backward()
          let grads = [x, w, b, gamma, beta].map { $0.grad ?? Tensor(zeros: [0]) }
          return (y.value, grads, state.runningMean.scalars, state.runningVar.scalars)
        }
        let (f, s) = (run(fused: true), run(fused: false))
        let what = "case \(k), \(String(describing: activation))"
        XCTAssertEqual(f.y.shape, s.y.shape, what)
        XCTAssertEqual(f.y.scalars.map(\.bitPattern), s.y.scalars.map(\.bitPattern), what)
        XCTAssertEqual(f.mean.map(\.bitPattern), s.mean.map(\.bitPattern), what)
        XCTAssertEqual(f.variance.map(\.bitPattern), s.variance.map(\.bitPattern), what)
        for (g, h) in zip(f.grads, s.grads) {
          XCTAssertEqual(g.shape, h.shape, what)
          XCTAssertEqual(g.scalars.map(\.bitPattern), h.scalars.map(\.bitPattern), what)
        }
      }
    }
  }

  /// In training mode without gradient recording (BatchNorm still uses and updates batch
  /// statistics) the fused op's value equals the ops in sequence, whose pool then skips the
  /// argmax.
  func testFusedTrainingWithoutGradientsEqualsTheOpsInSequence() {
    var rng = RandomStream(seed: 5)
    let x = Tensor<Float>.normal([3, 4, 13, 18], rng: &rng)
    let w = Variable(Tensor<Float>.normal([8, 4, 3, 3], rng: &rng) * 0.3)
    let gamma = Variable(Tensor<Float>.uniform([8], low: 0.5, high: 1.5, rng: &rng))
    let beta = Variable(Tensor<Float>.uniform([8], low: -0.5, high: 0.5, rng: &rng))
    let p = Conv2DParameters(padding: 1), pool = Pool2DParameters(kernel: 2)
    let (s1, s2) = (BatchNormState(channels: 8), BatchNormState(channels: 8))
    let (fused, separate) = withoutGradients {
      (
        Variable(x).conv2dBatchNorm(
          weight: w, p, gamma: gamma, beta: beta, state: s1, training: true, activation: .leakyRelu(0.1),
          maxPool: pool),
        Variable(x).conv2d(weight: w, p)
          .batchNorm(gamma: gamma, beta: beta, state: s2, training: true, activation: .leakyRelu(0.1))
          .maxPool2d(pool)
      )
    }
    XCTAssertEqual(fused.value.shape, [3, 8, 6, 9])
    XCTAssertEqual(fused.value.scalars.map(\.bitPattern), separate.value.scalars.map(\.bitPattern))
    XCTAssertEqual(s1.runningMean.scalars.map(\.bitPattern), s2.runningMean.scalars.map(\.bitPattern))
    XCTAssertEqual(s1.runningVar.scalars.map(\.bitPattern), s2.runningVar.scalars.map(\.bitPattern))
  }
}
