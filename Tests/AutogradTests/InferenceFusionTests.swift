import XCTest

@testable import Autograd

/// The inference shortcuts of the autograd ops: `conv2dBatchNorm` runs the BatchNorm inside
/// the convolution, and `maxPool2d` skips the argmax, only when no gradient is recorded — with
/// values bit-identical to the unfused ops — and are the ordinary ops otherwise.
final class InferenceFusionTests: XCTestCase {
  struct Layer {
    let x: Tensor<Float>, w: Variable, b: Variable, gamma: Variable, beta: Variable
    func state() -> BatchNormState {
      let c = w.shape[0]
      let s = BatchNormState(channels: c)
      s.runningMean = Tensor(shape: [c], scalars: (0..<c).map { Float($0 % 5) * 0.1 - 0.2 })
      s.runningVar = Tensor(shape: [c], scalars: (0..<c).map { 0.5 + Float($0 % 3) * 0.4 })
      return s
    }
  }

  func layer(n: Int, c: Int, size: Int, o: Int, seed: UInt64) -> Layer {
    var rng = RandomStream(seed: seed)
    return Layer(
      x: Tensor<Float>.normal([n, c, size, size], rng: &rng),
      w: Variable(Tensor<Float>.normal([o, c, 3, 3], rng: &rng) * 0.2, requiresGrad: true),
      b: Variable(Tensor<Float>.uniform([o], low: -0.1, high: 0.1, rng: &rng), requiresGrad: true),
      gamma: Variable(Tensor<Float>.uniform([o], low: -1.5, high: 1.5, rng: &rng), requiresGrad: true),
      beta: Variable(Tensor<Float>.uniform([o], low: -0.5, high: 0.5, rng: &rng), requiresGrad: true))
  }

  /// Without gradients, in inference: the fused op's value equals conv2d then batchNorm to the
  /// bit (Winograd, batched and small-map layers of the reference network's shapes) and is a
  /// constant.
  func testFusedInferenceEqualsTheOpsInSequenceToTheBit() {
    // the last layer's 1×1 output cannot hold a 2×2 window: its pool runs as the ordinary op
    for (k, (n, c, size, o)) in [(4, 16, 24, 32), (8, 3, 16, 16), (2, 32, 4, 64), (2, 3, 1, 4)].enumerated() {
      let l = layer(n: n, c: c, size: size, o: o, seed: UInt64(k))
      for activation in [nil, .relu, .leakyRelu(0.1)] as [BatchNormKernel.Activation?] {
        let (fused, unfused) = withoutGradients {
          (
            Variable(l.x).conv2dBatchNorm(
              weight: l.w, bias: l.b, Conv2DParameters(padding: 1), gamma: l.gamma, beta: l.beta, state: l.state(),
              training: false, activation: activation),
            Variable(l.x).conv2d(weight: l.w, bias: l.b, Conv2DParameters(padding: 1))
              .batchNorm(gamma: l.gamma, beta: l.beta, state: l.state(), training: false, activation: activation)
          )
        }
        XCTAssertEqual(fused.op, "leaf")
        XCTAssertEqual(fused.value.shape, unfused.value.shape)
        XCTAssertEqual(
          fused.value.scalars.map(\.bitPattern), unfused.value.scalars.map(\.bitPattern),
          "layer \(k), \(String(describing: activation))")
        // then a max pool: 2×2/2 runs in the epilogue, a 3×3/1 padded one after it
        for pool in [Pool2DParameters(kernel: 2), Pool2DParameters(kernel: 3, stride: 1, padding: 1)] {
          let (fusedPool, unfusedPool) = withoutGradients {
            (
              Variable(l.x).conv2dBatchNorm(
                weight: l.w, bias: l.b, Conv2DParameters(padding: 1), gamma: l.gamma, beta: l.beta,
                state: l.state(), training: false, activation: activation, maxPool: pool),
              unfused.maxPool2d(pool)
            )
          }
          XCTAssertEqual(fusedPool.value.shape, unfusedPool.value.shape)
          XCTAssertEqual(
            fusedPool.value.scalars.map(\.bitPattern), unfusedPool.value.scalars.map(\.bitPattern),
            "layer \(k), \(String(describing: activation)), \(pool)")
        }
      }
    }
  }

  /// With gradients recorded, or in training mode, it is the two ops: the result records the
  /// fused BatchNorm op and gradients reach the weight; training updates the running mean.
  func testRecordingOrTrainingRunsTheOrdinaryOps() {
    let l = layer(n: 2, c: 3, size: 6, o: 4, seed: 9)
    let y = Variable(l.x).conv2dBatchNorm(
      weight: l.w, bias: l.b, Conv2DParameters(padding: 1), gamma: l.gamma, beta: l.beta, state: l.state(),
      training: false, activation: .relu)
    XCTAssertEqual(y.op, "batchNormRelu")
    y.sum().backward()
    XCTAssertNotNil(l.w.grad)
    let state = l.state()
    let before = state.runningMean.scalars
    _ = withoutGradients {
      Variable(l.x).conv2dBatchNorm(
        weight: l.w, bias: l.b, Conv2DParameters(padding: 1), gamma: l.gamma, beta: l.beta, state: state,
        training: true)
    }
    XCTAssertNotEqual(state.runningMean.scalars, before)
  }

  /// Max pooling without gradients returns `maxForward`'s values as a constant; with them it
  /// records the op and routes the gradient to the window maxima (hand-computed).
  func testMaxPoolWithoutGradientsSkipsOnlyTheArgmax() {
    var rng = RandomStream(seed: 4)
    let x = Tensor<Float>.normal([2, 3, 9, 10], rng: &rng)
    let p = Pool2DParameters(kernel: 2)
    let y = withoutGradients { Variable(x, requiresGrad: true).maxPool2d(p) }
    XCTAssertEqual(y.op, "leaf")
    XCTAssertEqual(y.value.scalars.map(\.bitPattern), Pooling.maxForward(x, p).output.scalars.map(\.bitPattern))
    let v = Variable(Tensor(shape: [1, 1, 2, 2], scalars: [1, 4, 3, 2]), requiresGrad: true)
    let m = v.maxPool2d(p)
    XCTAssertEqual(m.op, "maxPool2d")
    m.sum().backward()
    XCTAssertEqual(v.grad?.scalars, [0, 1, 0, 0])
  }
}
