import XCTest

@testable import Metrics

final class ClassificationTests: XCTestCase {
  /// Six samples, three classes; by hand:
  /// labels      0 0 1 1 2 2
  /// predictions 0 1 1 1 0 2   (arg-max of the scores below)
  /// class 0: TP 1, FP 1, FN 1 → P .5, R .5, F1 .5
  /// class 1: TP 2, FP 1, FN 0 → P 2/3, R 1, F1 .8
  /// class 2: TP 1, FP 0, FN 1 → P 1, R .5, F1 2/3
  func testHandComputed() throws {
    let scores: [Float] = [
      0.7, 0.2, 0.1,
      0.3, 0.6, 0.1,
      0.1, 0.8, 0.1,
      0.2, 0.5, 0.3,
      0.5, 0.1, 0.4,
      0.1, 0.2, 0.7,
    ]
    let r = try ClassificationEvaluator.evaluate(
      labels: [0, 0, 1, 1, 2, 2], scores: scores, classCount: 3, classNames: ["a", "b", "c"],
      topK: [1, 2])
    XCTAssertEqual(r.accuracy, 4.0 / 6, accuracy: 1e-12)
    XCTAssertEqual(r.topK.map(\.k), [1, 2])
    XCTAssertEqual(r.topK[0].accuracy, 4.0 / 6, accuracy: 1e-12)
    XCTAssertEqual(r.topK[1].accuracy, 1, accuracy: 1e-12)  // every label is in the top 2
    XCTAssertEqual(r.confusionMatrix, [[1, 1, 0], [0, 2, 0], [1, 0, 1]])
    XCTAssertEqual(r.perClass.map(\.precision), [0.5, 2.0 / 3, 1])
    XCTAssertEqual(r.perClass.map(\.recall), [0.5, 1, 0.5])
    XCTAssertEqual(r.perClass[1].f1, 0.8, accuracy: 1e-12)
    XCTAssertEqual(r.macro.f1, (0.5 + 0.8 + 2.0 / 3) / 3, accuracy: 1e-12)
    XCTAssertEqual(r.macro.precision, (0.5 + 2.0 / 3 + 1) / 3, accuracy: 1e-12)
    XCTAssertEqual(r.micro.f1, 4.0 / 6, accuracy: 1e-12)
    // Class 0 one-vs-rest: scores sorted .7(+) .5(-) .3(+) .2 .1 .1 → AP = .5·1 + .5·2/3.
    XCTAssertEqual(r.perClass[0].curve?.averagePrecision ?? -1, 0.5 + 1.0 / 3, accuracy: 1e-12)
  }

  /// Ties go to the lowest class index for both arg-max and top-k.
  func testTiesFavourLowerIndex() throws {
    let r = try ClassificationEvaluator.evaluate(
      labels: [1], scores: [0.5, 0.5, 0.5], classCount: 3, topK: [1, 2])
    XCTAssertEqual(r.accuracy, 0)
    XCTAssertEqual(r.topK.map(\.accuracy), [0, 1])
  }

  func testErrorsNameTheSample() {
    XCTAssertThrowsError(
      try ClassificationEvaluator.evaluate(
        labels: [0, 3], scores: [1, 2, 3, 4, 5, 6], classCount: 3)
    ) {
      XCTAssertEqual("\($0)", "sample 1: label 3 is outside 0..<3.")
    }
    XCTAssertThrowsError(
      try ClassificationEvaluator.evaluate(labels: [0], scores: [1, .nan], classCount: 2)
    ) {
      XCTAssertEqual("\($0)", "sample 0: score of class 1 is nan; scores must be finite numbers.")
    }
    XCTAssertThrowsError(
      try ClassificationEvaluator.evaluate(labels: [0], scores: [1], classCount: 2)
    ) {
      XCTAssertEqual("\($0)", "the score buffer has 1 values but samples × classes is 2.")
    }
  }
}
