import Foundation
import TestSupport
import XCTest

@testable import Training

/// IoU-family box losses. Hand case: A = [0,1]², B = [0.5,1.5]² as (cx, cy, w, h);
/// intersection 0.25, union 1.75, IoU 1/7; enclosing box [0,1.5]² has area 2.25 and diagonal²
/// 4.5; centres are 0.5 apart in x and y, so ρ² = 0.5.
final class BoxIoULossTests: XCTestCase {
  let a = Tensor<Float>(shape: [1, 4], scalars: [0.5, 0.5, 1, 1])
  let b = Tensor<Float>(shape: [1, 4], scalars: [1, 1, 1, 1])

  func value(_ kind: BoxIoULoss.Kind, _ p: Tensor<Float>? = nil, _ t: Tensor<Float>? = nil) -> Float {
    BoxIoULoss(kind)(Variable(p ?? a), target: t ?? b).value.scalar
  }

  func testHandComputedValues() {
    XCTAssertEqual(value(.iou), 1 - 1 / 7, accuracy: 1e-6)
    XCTAssertEqual(value(.giou), 1 - 1 / 7 + 0.5 / 2.25, accuracy: 1e-6)  // 1.07936508
    XCTAssertEqual(value(.diou), 1 - 1 / 7 + 0.5 / 4.5, accuracy: 1e-6)
    XCTAssertEqual(value(.ciou), value(.diou), accuracy: 1e-6)  // same aspect ratio: v = 0
  }

  func testDisjointBoxesGIoUExceedsOne() {
    // [0,1]² and [2,3]×[0,1]: IoU 0, enclosing area 3, union 2 → GIoU loss = 1 + 1/3.
    let far = Tensor<Float>(shape: [1, 4], scalars: [2.5, 0.5, 1, 1])
    XCTAssertEqual(value(.giou, a, far), 1 + 1.0 / 3, accuracy: 1e-6)
    XCTAssertEqual(value(.iou, a, far), 1, accuracy: 1e-6)
  }

  func testCIoUAspectTerm() {
    // Same centre, A 2×1 inside B 2×2: IoU 0.5, ρ = 0, v = 4/π² (atan 1 − atan 2)², α = v/(0.5+v).
    let p = Tensor<Float>(shape: [1, 4], scalars: [1, 1, 2, 1]),
      t = Tensor<Float>(shape: [1, 4], scalars: [1, 1, 2, 2])
    let v = 4 / (Double.pi * Double.pi) * Foundation.pow(Foundation.atan(1.0) - Foundation.atan(2.0), 2)
    XCTAssertEqual(Double(value(.ciou, p, t)), 0.5 + v * v / (0.5 + v), accuracy: 1e-6)
  }

  func testGradients() {
    var rng = RandomStream(seed: 9)
    // Overlapping but distinct boxes, away from the ties where min/max have kinks.
    let p = Tensor<Float>(
      shape: [3, 4],
      scalars: (0..<12).map { i in i % 4 < 2 ? rng.nextFloat(in: 0.3..<0.7) : rng.nextFloat(in: 0.3..<0.6) })
    let t = Tensor<Float>(
      shape: [3, 4],
      scalars: (0..<12).map { i in i % 4 < 2 ? rng.nextFloat(in: 0.35..<0.65) : rng.nextFloat(in: 0.4..<0.8) })
    for kind in [BoxIoULoss.Kind.iou, .giou, .diou] {
      GradientChecker.check("\(kind)", [p]) { BoxIoULoss(kind)($0[0], target: t) }
    }
    // CIoU's α is a constant in the gradient (Zheng et al. §3.2), so the finite differences
    // must hold it at its value at p: extract it as (CIoU − DIoU) / v and freeze it.
    let ciou = BoxIoULoss(.ciou, reduction: .none)
    let diou = BoxIoULoss(.diou, reduction: .none)
    let pv = Variable(p), tv = Variable(t)
    let excess = ciou.perBox(pv, target: tv).value - diou.perBox(pv, target: tv).value
    let aspect = ciou.aspectTerm(pv, target: tv).value.reshaped([3])
    var frozen = BoxIoULoss(.ciou)
    frozen.frozenAlpha = (excess / aspect).reshaped([3, 1])
    GradientChecker.check("ciou (α frozen)", [p]) { frozen($0[0], target: t) }
  }

  func testArctangentGradient() {
    XCTAssertEqual(Variable(Tensor(shape: [1], scalars: [1])).arctangent().value.scalar, Float.pi / 4, accuracy: 1e-6)
    GradientChecker.check("atan", [GradientChecker.random([5], seed: 10, low: -3, high: 3)]) {
      $0[0].arctangent().sum()
    }
  }
}
