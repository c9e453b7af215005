import XCTest

@testable import Metrics

final class NonMaximumSuppressionTests: XCTestCase {
  func box(_ x: Float, _ score: Float, _ c: Int = 0, width: Float = 10) -> DecodedDetection {
    DecodedDetection(x1: x, y1: 0, x2: x + width, y2: 10, score: score, classIndex: c)
  }

  /// Boxes shifted by 2 overlap with IoU 80/120 = 2/3; shifted by 5, 50/150 = 1/3.
  func testGreedySuppressionPerClass() {
    let input = [box(2, 0.8), box(0, 0.9), box(5, 0.7), box(0, 0.6, 1), box(30, 0.5)]
    let kept = NonMaximumSuppression.apply(input, iouThreshold: 0.5)
    // 0.8 (IoU 2/3 with 0.9) goes; 0.7 has IoU 1/3 with 0.9 and stays; class 1 is untouched.
    XCTAssertEqual(kept.map(\.score), [0.9, 0.7, 0.6, 0.5])
    let agnostic = NonMaximumSuppression.apply(input, iouThreshold: 0.5, classAware: false)
    XCTAssertEqual(agnostic.map(\.score), [0.9, 0.7, 0.5])
    XCTAssertEqual(
      NonMaximumSuppression.apply(input, iouThreshold: 0.3).map(\.score), [0.9, 0.6, 0.5])
  }

  /// Suppression needs IoU strictly above the threshold.
  func testThresholdIsStrict() {
    let input = [box(0, 0.9), box(5, 0.8)]  // IoU exactly 1/3
    XCTAssertEqual(NonMaximumSuppression.apply(input, iouThreshold: 1.0 / 3).count, 2)
  }

  func testMaxDetectionsKeepsBest() {
    let input = (0..<10).map { box(Float($0) * 20, Float($0) / 10) }
    XCTAssertEqual(
      NonMaximumSuppression.apply(input, iouThreshold: 0.5, maxDetections: 3).map(\.score),
      [0.9, 0.8, 0.7])
  }
}
