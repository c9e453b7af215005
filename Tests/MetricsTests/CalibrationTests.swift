import Foundation
import XCTest

@testable import Metrics

/// The reliability curve and ECE (Guo et al. 2017) by hand, through the evaluator from logits,
/// and against scikit-learn's `calibration_curve` with a numpy ECE.
final class CalibrationTests: XCTestCase {
  /// Six samples, two bins (0, .5] and (.5, 1]:
  /// bin 0: .3 (wrong)                         → count 1, accuracy 0,   confidence .3
  /// bin 1: .95 ✓ .9 ✓ .85 ✗ .6 ✓ .55 ✗        → count 5, accuracy .6, confidence 3.85/5 = .77
  /// ECE = 1/6 · .3 + 5/6 · .17 = .191666…, MCE = .3, mean confidence 4.15/6.
  func testHandComputed() {
    let c = ReliabilityCurve(
      confidences: [0.95, 0.9, 0.85, 0.6, 0.55, 0.3], correct: [true, true, false, true, false, false], binCount: 2)
    XCTAssertEqual(c.bins.map(\.count), [1, 5])
    XCTAssertEqual(c.bins.map(\.lower), [0, 0.5])
    XCTAssertEqual(c.bins.map(\.upper), [0.5, 1])
    XCTAssertEqual(c.bins[0].accuracy, 0)
    XCTAssertEqual(c.bins[0].confidence, 0.3, accuracy: 1e-12)
    XCTAssertEqual(c.bins[1].accuracy, 0.6, accuracy: 1e-12)
    XCTAssertEqual(c.bins[1].confidence, 0.77, accuracy: 1e-12)
    XCTAssertEqual(c.expectedCalibrationError, 0.3 / 6 + 5.0 / 6 * 0.17, accuracy: 1e-12)
    XCTAssertEqual(c.maximumCalibrationError, 0.3, accuracy: 1e-12)
    XCTAssertEqual(c.meanConfidence, 4.15 / 6, accuracy: 1e-12)
  }

  /// A confidence on an edge belongs to the lower bin (bins are (lower, upper]); 0 goes to the
  /// first bin and empty bins count 0 and add nothing to the ECE.
  func testBinEdgesAndEmptyBins() {
    XCTAssertEqual(ReliabilityCurve.bin(of: 0.5, binCount: 2), 0)
    XCTAssertEqual(ReliabilityCurve.bin(of: 0.5000001, binCount: 2), 1)
    XCTAssertEqual(ReliabilityCurve.bin(of: 0, binCount: 10), 0)
    XCTAssertEqual(ReliabilityCurve.bin(of: 1, binCount: 10), 9)
    let c = ReliabilityCurve(confidences: [1, 1], correct: [true, true], binCount: 10)
    XCTAssertEqual(c.bins.map(\.count), [0, 0, 0, 0, 0, 0, 0, 0, 0, 2])
    XCTAssertEqual(c.expectedCalibrationError, 0)  // perfectly confident and right
  }

  /// From logits: the top softmax probability of [2, 0, 0] is e²/(e² + 2) = .786986 (bin 7 of
  /// 10), of [0, 1, 0] e/(e + 2) = .576117 (bin 5); samples 0 and 1 are right, sample 2 (label 2,
  /// also [0, 1, 0]) is wrong.
  func testEvaluatorReadsConfidenceFromLogits() throws {
    let r = try ClassificationEvaluator.evaluate(
      labels: [0, 1, 2], scores: [2, 0, 0, 0, 1, 0, 0, 1, 0], classCount: 3, topK: [1],
      scoreKind: .logits, calibrationBins: 10)
    let c = try XCTUnwrap(r.calibration)
    let p0 = exp(2.0) / (exp(2.0) + 2), p1 = exp(1.0) / (exp(1.0) + 2)
    XCTAssertEqual(c.bins[7].count, 1)
    XCTAssertEqual(c.bins[7].confidence, p0, accuracy: 1e-7)
    XCTAssertEqual(c.bins[7].accuracy, 1)
    XCTAssertEqual(c.bins[5].count, 2)
    XCTAssertEqual(c.bins[5].confidence, p1, accuracy: 1e-7)
    XCTAssertEqual(c.bins[5].accuracy, 0.5)
    XCTAssertEqual(c.expectedCalibrationError, (1 - p0) / 3 + 2.0 / 3 * abs(0.5 - p1), accuracy: 1e-7)
    // Plain scores have no calibration; probabilities must be probabilities.
    XCTAssertNil(try ClassificationEvaluator.evaluate(labels: [0], scores: [2, 0], classCount: 2).calibration)
    XCTAssertThrowsError(
      try ClassificationEvaluator.evaluate(labels: [0], scores: [0.7, 0.7], classCount: 2, scoreKind: .probabilities)
    ) {
      XCTAssertEqual(
        "\($0)",
        "sample 0: the scores sum to \(Double(Float(0.7)) * 2) or leave 0...1, so they are not probabilities; pass them as logits or as plain scores."
      )
    }
  }

  struct Input: Codable {
    var labels: [Int]
    var logits: [[Double]]
    var bins: Int
  }

  struct Reference: Decodable {
    var probTrue: [Double]
    var probPred: [Double]
    var ece: Double
    var top5: Double
    var accuracy: Double
  }

  static let script = """
    import json, sys
    import numpy as np
    from sklearn.calibration import calibration_curve
    from sklearn import metrics
    out = []
    for path in sys.argv[1:]:
        d = json.load(open(path))
        y = np.array(d["labels"]); z = np.array(d["logits"]); M = d["bins"]
        p = np.exp(z - z.max(axis=1, keepdims=True)); p /= p.sum(axis=1, keepdims=True)
        pred = p.argmax(axis=1); conf = p.max(axis=1); ok = (pred == y).astype(int)
        prob_true, prob_pred = calibration_curve(ok, conf, n_bins=M, strategy="uniform")
        ids = np.searchsorted(np.linspace(0, 1, M + 1)[1:-1], conf)
        ece = sum(np.sum(ids == m) / len(y) * abs(ok[ids == m].mean() - conf[ids == m].mean())
                  for m in range(M) if np.any(ids == m))
        out.append({"probTrue": prob_true.tolist(), "probPred": prob_pred.tolist(), "ece": float(ece),
                    "top5": metrics.top_k_accuracy_score(y, z, k=5, labels=list(range(z.shape[1]))),
                    "accuracy": metrics.accuracy_score(y, pred)})
    print(json.dumps(out))
    """

  func testMatchesSklearnCalibrationCurve() throws {
    var rng = SplitMix64(seed: 3)
    var cases: [(labels: [Int], logits: [Float], classes: Int, bins: Int)] = []
    for trial in 0..<3 {
      let classes = 6 + 2 * trial, n = 400
      let labels = (0..<n).map { _ in Int.random(in: 0..<classes, using: &rng) }
      let sharpness = Float(1 + trial)
      let logits: [Float] = labels.flatMap { y in
        (0..<classes).map { c in sharpness * (Float.random(in: -1...1, using: &rng) + (c == y ? 1.2 : 0)) }
      }
      cases.append((labels, logits, classes, [10, 15, 7][trial]))
    }
    let inputs = try cases.map { c in
      try JSONEncoder().encode(
        Input(
          labels: c.labels,
          logits: c.labels.indices.map { n in (0..<c.classes).map { Double(c.logits[n * c.classes + $0]) } },
          bins: c.bins))
    }
    let refs = try PythonReference.evaluate(
      [Reference].self, modules: ["sklearn", "numpy"], script: Self.script, inputs: inputs)
    XCTAssertEqual(refs.count, cases.count)
    for (c, ref) in zip(cases, refs) {
      let r = try ClassificationEvaluator.evaluate(
        labels: c.labels, scores: c.logits, classCount: c.classes, topK: [1, 5], scoreKind: .logits,
        calibrationBins: c.bins)
      let curve = try XCTUnwrap(r.calibration)
      let used = curve.bins.filter { $0.count > 0 }
      XCTAssertEqual(used.map(\.accuracy), ref.probTrue, accuracy: 1e-9)
      XCTAssertEqual(used.map(\.confidence), ref.probPred, accuracy: 1e-6)
      XCTAssertEqual(curve.expectedCalibrationError, ref.ece, accuracy: 1e-6)
      XCTAssertEqual(r.accuracy, ref.accuracy, accuracy: 1e-12)
      XCTAssertEqual(r.topK[1].accuracy, ref.top5, accuracy: 1e-12)
    }
  }
}
