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
    let y = x.batchNorm(gamma: Variable(Tensor(shape: [1], scalars: [1])), beta: Variable(Tensor(shape: [1], scalars: [0])),
                        state: s, training: true)
    // mean 3, biased var 3.5, unbiased var 14/3
    XCTAssertEqual(s.runningMean.scalars[0], 0.3, accuracy: 1e-6)
    XCTAssertEqual(s.runningVar.scalars[0], 0.9 + 0.1 * 14 / 3, accuracy: 1e-6)
    XCTAssertEqual(y.value.scalars[3], 3 / (3.5 + 1e-5).squareRoot(), accuracy: 1e-5)
  }
}
