import BenchProtocol
import XCTest

/// The kernel section's closing line, from hand-made percentages.
final class KernelTargetTests: XCTestCase {
  func testAllLayersAtOrAboveTheThresholdMeetTheTarget() {
    let line = KernelTarget().summary([("3→8 at 96×96", 70), ("8→16 at 48×48", 86.4), ("128→256 at 3×3", 143)])
    XCTAssertEqual(line, "forward ≥ 70% of the sgemm beside it: met on all 3 layers (lowest 3→8 at 96×96 at 70.0%)")
  }

  func testLayersBelowAreNamedInMeasuredOrder() {
    let line = KernelTarget().summary([("3→16 at 64×64", 69.4), ("16→32 at 32×32", 91), ("3→8 at 96×96", 55)])
    XCTAssertEqual(
      line,
      "forward ≥ 70% of the sgemm beside it: not met on 2 of 3 layers (3→16 at 64×64 at 69.4%, 3→8 at 96×96 at 55.0%)")
  }

  func testAnotherThresholdAndNoLayers() {
    XCTAssertEqual(
      KernelTarget(threshold: 90).summary([("a", 89.9)]),
      "forward ≥ 90% of the sgemm beside it: not met on 1 of 1 layers (a at 89.9%)")
    XCTAssertEqual(KernelTarget().summary([]), "no layer was measured")
  }
}
