import XCTest

@testable import Autograd

/// Exact-value tests of the tape: fan-out accumulation, broadcasting, no-grad mode, detach.
final class AutogradTests: XCTestCase {
  func testGradientOfSumOfSquaresIsTwoX() {
    let x = Variable(Tensor(shape: [3], scalars: [1, -2, 3]), requiresGrad: true)
    (x * x).sum().backward()
    XCTAssertEqual(x.grad?.scalars, [2, -4, 6])
  }

  func testFanOutAccumulates() {
    let x = Variable(Tensor(shape: [2], scalars: [1, 2]), requiresGrad: true)
    let y = x * 3 + x.exp() + x  // d/dx = 3 + eˣ + 1
    y.sum().backward()
    XCTAssertEqual(x.grad?.scalars[0] ?? 0, 4 + 2.7182817, accuracy: 1e-5)
    XCTAssertEqual(x.grad?.scalars[1] ?? 0, 4 + 7.389056, accuracy: 1e-5)
  }

  func testBroadcastGradientIsReducedToOperandShape() {
    let x = Variable(Tensor(repeating: 1, shape: [4, 3]), requiresGrad: true)
    let b = Variable(Tensor(shape: [3], scalars: [1, 2, 3]), requiresGrad: true)
    (x * b).sum().backward()
    XCTAssertEqual(b.grad?.shape, [3])
    XCTAssertEqual(b.grad?.scalars, [4, 4, 4])
    XCTAssertEqual(x.grad?.scalars, [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3])
  }

  func testNoGradAndDetach() {
    let w = Variable(Tensor(shape: [1], scalars: [2]), requiresGrad: true)
    let y = withoutGradients { w * 3 }
    XCTAssertFalse(y.requiresGrad)
    XCTAssertTrue((w * 3).requiresGrad)
    let z = (w * w).detached() * w  // gradient only through the last factor: 4
    z.sum().backward()
    XCTAssertEqual(w.grad?.scalars, [4])
    w.zeroGrad()
    XCTAssertNil(w.grad)
  }

  func testIntermediateGradientsAreReleased() {
    let x = Variable(Tensor(shape: [2], scalars: [1, 2]), requiresGrad: true)
    let h = x * 2
    (h * h).sum().backward()
    XCTAssertNil(h.grad)
    XCTAssertEqual(x.grad?.scalars, [8, 16])  // d(4x²)/dx = 8x
  }

  func testBatchNormUpdatesRunningStatisticsLikePyTorch() {
    let s = BatchNormState(channels: 1, momentum: 0.1)
    let x = Variable(Tensor(shape: [4, 1], scalars: [1, 2, 3, 6]))
    let y = x.batchNorm(
      gamma: Variable(Tensor(shape: [1], scalars: [1])), beta: Variable(Tensor(shape: [1], scalars: [0])),
      state: s, training: true)
    // mean 3, biased var 3.5, unbiased var 14/3
    XCTAssertEqual(s.runningMean.scalars[0], 0.3, accuracy: 1e-6)
    XCTAssertEqual(s.runningVar.scalars[0], 0.9 + 0.1 * 14 / 3, accuracy: 1e-6)
    XCTAssertEqual(y.value.scalars[3], 3 / (3.5 + 1e-5).squareRoot(), accuracy: 1e-5)
  }

  /// The fused batch norm + activation equals the two ops in sequence — values, input, γ and β
  /// gradients — in training and inference mode, on a tensor large enough for the vectorised
  /// paths and their tails (inner size 37).
  func testFusedActivationEqualsTheOpsInSequence() {
    var rng = RandomStream(seed: 31)
    let x = Tensor<Float>.normal([5, 4, 37], rng: &rng), cotangent = Tensor<Float>.normal([5, 4, 37], rng: &rng)
    let g0 = Tensor<Float>.uniform([4], low: 0.5, high: 1.5, rng: &rng),
      b0 = Tensor<Float>.uniform([4], low: -0.5, high: 0.5, rng: &rng)
    for training in [true, false] {
      for activation in [BatchNormKernel.Activation.relu, .leakyRelu(0.1)] {
        func run(fused: Bool) -> [Tensor<Float>] {
          let (xv, gv, bv) = (
            Variable(x, requiresGrad: true), Variable(g0, requiresGrad: true), Variable(b0, requiresGrad: true)
          )
          let s = BatchNormState(channels: 4)
          s.runningMean = Tensor(shape: [4], scalars: [0.1, -0.2, 0.3, 0])
          s.runningVar = Tensor(shape: [4], scalars: [0.5, 2, 1.5, 1])
          var y: Variable
          if fused {
            y = xv.batchNorm(gamma: gv, beta: bv, state: s, training: training, activation: activation)
          } else {
            y = xv.batchNorm(gamma: gv, beta: bv, state: s, training: training)
            if case .leakyRelu(let a) = activation { y = y.leakyRelu(a) } else { y = y.relu() }
          }
          y.backward(seed: cotangent)
          return [y.value, xv.grad ?? Tensor(zeros: [0]), gv.grad ?? Tensor(zeros: [0]), bv.grad ?? Tensor(zeros: [0])]
        }
        for (k, (f, u)) in zip(run(fused: true), run(fused: false)).enumerated() {
          XCTAssertEqual(f.shape, u.shape)
          let worst = zip(f.scalars, u.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? .nan
          XCTAssertLessThan(worst, 1e-5, "training \(training), \(activation), output \(k)")
        }
      }
    }
  }
}
