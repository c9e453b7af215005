import TestSupport
import XCTest

@testable import Training

/// Cross-entropy, binary cross-entropy, MSE and focal losses: values computed by hand (numpy,
/// float64, written out below) and gradients against finite differences.
final class ClassificationLossTests: XCTestCase {
  let logits = Tensor<Float>(shape: [3, 3], scalars: [1, 2, 3, 1, 0, -1, 0.5, -0.5, 2])
  let labels = [2, 0, 1]

  func testCrossEntropyPlainValue() {
    // log-softmax rows: [-2.4076, -1.4076, -0.4076], [-0.4076, -1.4076, -2.4076],
    // [-1.7413, -2.7413, -0.2413]; mean of 0.4076, 0.4076, 2.7413 = 1.19385994.
    let l = CrossEntropyLoss()(Variable(logits), labels: labels)
    XCTAssertEqual(l.value.scalar, 1.19385994, accuracy: 1e-6)
  }

  func testCrossEntropySmoothedWeightedMatchesPyTorchSemantics() {
    // Σ_i [(1−ε) w_y ℓ_iy + ε/C Σ_c w_c ℓ_ic] / Σ_i w_y with w = [1, 2, 0.5], ε = 0.1 → 1.74454702.
    let l = CrossEntropyLoss(labelSmoothing: 0.1, classWeights: [1, 2, 0.5])(Variable(logits), labels: labels)
    XCTAssertEqual(l.value.scalar, 1.74454702, accuracy: 1e-5)
    let none = CrossEntropyLoss(reduction: .none)(Variable(logits), labels: labels)
    XCTAssertEqual(none.value.scalars[1], 0.40760596, accuracy: 1e-6)
  }

  func testCrossEntropyGradient() {
    let x = GradientChecker.random([4, 5], seed: 2, low: -2, high: 2)
    GradientChecker.check("CE", [x]) {
      CrossEntropyLoss(labelSmoothing: 0.2, classWeights: [1, 2, 0.5, 1, 3])($0[0], labels: [0, 4, 2, 2])
    }
  }

  func testBinaryCrossEntropyValueAndStability() {
    let l = BinaryCrossEntropyLoss()(
      Variable(Tensor(shape: [4], scalars: [-2, 0, 3, 0.5])),
      targets: Tensor(shape: [4], scalars: [0, 1, 1, 0.3]))
    XCTAssertEqual(l.value.scalar, 0.42318488, accuracy: 1e-6)
    // Huge logits stay finite: BCE(100, 0) = 100, BCE(−100, 0) = 0.
    let big = BinaryCrossEntropyLoss(reduction: .none)(
      Variable(Tensor(shape: [2], scalars: [100, -100])), targets: Tensor(zeros: [2]))
    XCTAssertEqual(big.value.scalars[0], 100)
    XCTAssertEqual(big.value.scalars[1], 0, accuracy: 1e-30)
  }

  func testBinaryCrossEntropyGradientIncludingZeroLogit() {
    // At x = 0 the gradient is σ(0) − z = 0.5 − z, which a composed relu/abs form would miss.
    let x = Variable(Tensor(shape: [2], scalars: [0, 0]), requiresGrad: true)
    BinaryCrossEntropyLoss(reduction: .sum)(x, targets: Tensor(shape: [2], scalars: [1, 0.25])).backward()
    XCTAssertEqual(x.grad?.scalars ?? [], [-0.5, 0.25])
    let logits = GradientChecker.random([3, 4], seed: 3, low: -3, high: 3)
    let targets = GradientChecker.random([3, 4], seed: 4, low: 0, high: 1)
    GradientChecker.check("BCE", [logits]) {
      BinaryCrossEntropyLoss()($0[0], targets: targets, weights: Tensor(shape: [4], scalars: [1, 2, 0.5, 1]))
    }
  }

  func testMeanSquaredError() {
    let l = MeanSquaredErrorLoss()(
      Variable(Tensor(shape: [2], scalars: [1, 3])), target: Tensor(shape: [2], scalars: [0, 5]))
    XCTAssertEqual(l.value.scalar, 2.5)  // (1 + 4) / 2
    let t = GradientChecker.random([2, 3], seed: 6)
    GradientChecker.check("MSE", [GradientChecker.random([2, 3], seed: 5)]) {
      MeanSquaredErrorLoss(reduction: .sum)($0[0], target: t)
    }
  }

  func testFocalSigmoidValue() {
    // p = σ(x); p_t, α_t per element; mean of −α_t (1 − p_t)² log p_t = 0.08194010.
    let l = FocalLoss(gamma: 2, alpha: 0.25).sigmoid(
      Variable(Tensor(shape: [4], scalars: [-2, 0, 3, 0.5])),
      targets: Tensor(shape: [4], scalars: [0, 1, 1, 0]))
    XCTAssertEqual(l.value.scalar, 0.08194010, accuracy: 1e-6)
  }

  func testFocalWithGammaZeroIsCrossEntropy() {
    let x = Variable(logits)
    let focal = FocalLoss(gamma: 0, alpha: nil).softmax(x, labels: labels)
    XCTAssertEqual(focal.value.scalar, CrossEntropyLoss()(x, labels: labels).value.scalar, accuracy: 1e-6)
  }

  func testFocalSoftmaxValues() {
    XCTAssertEqual(
      FocalLoss(gamma: 2, alpha: 0.25).softmax(Variable(logits), labels: labels).value.scalar, 0.21005926,
      accuracy: 1e-6)
    XCTAssertEqual(
      FocalLoss(gamma: 2).softmax(Variable(logits), labels: labels, classAlpha: [0.2, 0.3, 0.5]).value.scalar,
      0.25359370, accuracy: 1e-6)
  }

  func testFocalGradients() {
    let x = GradientChecker.random([3, 4], seed: 7, low: -2, high: 2)
    let z = Tensor<Float>(shape: [3, 4], scalars: (0..<12).map { Float($0 % 3 == 0 ? 1 : 0) })
    GradientChecker.check("focal sigmoid γ=2", [x]) { FocalLoss(gamma: 2, alpha: 0.25).sigmoid($0[0], targets: z) }
    GradientChecker.check("focal sigmoid γ=1.5", [x]) { FocalLoss(gamma: 1.5, alpha: nil).sigmoid($0[0], targets: z) }
    GradientChecker.check("focal softmax", [x]) { FocalLoss(gamma: 2, alpha: 0.25).softmax($0[0], labels: [1, 3, 0]) }
  }
}
