import Autograd
import Tensors
import TestSupport
import XCTest

/// The checker itself must be tight enough to matter: a gradient that is off by 1% fails.
final class GradientCheckerTests: XCTestCase {
  func testCheckerCatchesOnePercentError() {
    let x = GradientChecker.random([6], seed: 1)
    let f = { (v: [Variable]) in (v[0] * v[0] * v[0]).sum() }
    let numeric = GradientChecker.numeric([x], step: 2e-3, f)
    var analytic = GradientChecker.analytic([x], f)
    XCTAssertTrue(GradientChecker.mismatches(analytic, numeric, rtol: 4e-3, absoluteFraction: 1e-3).isEmpty)
    let largest = analytic[0].indices.max { Swift.abs(analytic[0][$0]) < Swift.abs(analytic[0][$1]) } ?? 0
    analytic[0][largest] *= 1.01
    XCTAssertEqual(GradientChecker.mismatches(analytic, numeric, rtol: 4e-3, absoluteFraction: 1e-3).count, 1)
  }
}
