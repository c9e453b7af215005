import XCTest

@testable import Metrics

/// Hand-computed AP for the three definitions on one sequence.
///
/// Four positives; detections by descending score: TP, FP, TP, TP, FP.
/// recall    = .25, .25, .5, .75, .75
/// precision = 1, .5, 2/3, .75, .6      envelope = 1, .75, .75, .75, .6
/// - voc-all: .25·1 + .25·.75 + .25·.75 + .25·0 = 0.625
/// - voc07: t = 0, .1, .2 → 1; t = .3….7 → .75; t = .8…1 → 0; (3 + 5·.75) / 11 = 6.75 / 11
/// - coco101: r = 0….25 (26 points) → 1; r = .26….75 (50 points) → .75; rest 0;
///   (26 + 37.5) / 101 = 63.5 / 101
final class APDefinitionTests: XCTestCase {
  let tp: [Double] = [1, 1, 2, 3, 3]
  let fp: [Double] = [0, 1, 1, 1, 2]

  func testVOCAllPoint() {
    XCTAssertEqual(
      APDefinition.vocAll.averagePrecision(tp: tp, fp: fp, positives: 4), 0.625, accuracy: 1e-12)
  }

  func testVOC07ElevenPoint() {
    XCTAssertEqual(
      APDefinition.voc07.averagePrecision(tp: tp, fp: fp, positives: 4), 6.75 / 11, accuracy: 1e-12)
  }

  func testCOCO101Point() {
    XCTAssertEqual(
      APDefinition.coco101.averagePrecision(tp: tp, fp: fp, positives: 4), 63.5 / 101,
      accuracy: 1e-12)
  }

  /// VOC07 counts a recall of exactly 3/10 at the threshold 0.3.
  func testVOC07ThresholdIsExactTenth() {
    // 10 positives, 3 TPs then nothing: precision 1 up to recall 0.3 exactly.
    let ap = APDefinition.voc07.averagePrecision(tp: [1, 2, 3], fp: [0, 0, 0], positives: 10)
    XCTAssertEqual(ap, 4.0 / 11, accuracy: 1e-12)  // t = 0, .1, .2, .3
  }

  func testNoDetectionsGivesZero() {
    for d in APDefinition.allCases {
      XCTAssertEqual(d.averagePrecision(tp: [], fp: [], positives: 3), 0, "\(d)")
    }
  }

  func testPerfectDetectionsGiveOne() {
    for d in APDefinition.allCases {
      XCTAssertEqual(
        d.averagePrecision(tp: [1, 2], fp: [0, 0], positives: 2), 1, accuracy: 1e-12, "\(d)")
    }
  }

  func testNamesAreTheCommandLineNames() {
    XCTAssertEqual(APDefinition.allCases.map(\.rawValue), ["coco101", "voc07", "voc-all"])
    XCTAssertEqual(cocoIoUThresholds.count, 10)
    XCTAssertEqual(cocoIoUThresholds[0], 0.5)
    XCTAssertEqual(cocoIoUThresholds[5], 0.75)
    XCTAssertEqual(cocoIoUThresholds[9], 0.95)
    XCTAssertEqual(cocoRecallThresholds.count, 101)
  }
}
