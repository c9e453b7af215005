import Foundation
import XCTest

@testable import Metrics

/// Randomised parity with scikit-learn (classification metrics, ROC/AUC) and with a numpy
/// transcription of facenet's `calculate_roc` k-fold protocol.
final class SklearnParityTests: XCTestCase {
  struct ClassificationInput: Codable {
    var labels: [Int]
    var scores: [[Double]]
    var classCount: Int
  }

  struct ClassificationReference: Decodable {
    var accuracy: Double
    var top3: Double
    var precision: [Double]
    var recall: [Double]
    var f1: [Double]
    var macro: [Double]
    var weighted: [Double]
    var confusion: [[Int]]
    var ap: [Double]
  }

  /// One result per input file (one process, since importing sklearn takes about 2 s).
  static let classificationScript = """
    import json, sys
    import numpy as np
    from sklearn import metrics
    out = []
    for path in sys.argv[1:]:
        d = json.load(open(path))
        y = np.array(d["labels"]); s = np.array(d["scores"]); C = d["classCount"]
        labels = list(range(C)); pred = s.argmax(axis=1)
        p, r, f, _ = metrics.precision_recall_fscore_support(y, pred, labels=labels, zero_division=0)
        avg = lambda a: list(map(float, metrics.precision_recall_fscore_support(
            y, pred, labels=labels, average=a, zero_division=0)[:3]))
        out.append({
          "accuracy": metrics.accuracy_score(y, pred),
          "top3": metrics.top_k_accuracy_score(y, s, k=3, labels=labels),
          "precision": p.tolist(), "recall": r.tolist(), "f1": f.tolist(),
          "macro": avg("macro"), "weighted": avg("weighted"),
          "confusion": metrics.confusion_matrix(y, pred, labels=labels).tolist(),
          "ap": [float(metrics.average_precision_score(y == c, s[:, c])) for c in labels]})
    print(json.dumps(out))
    """

  func testClassificationMatchesSklearn() throws {
    var rng = SplitMix64(seed: 7)
    var cases: [(labels: [Int], scores: [Float], classes: Int)] = []
    for trial in 0..<3 {
      let classes = 4 + trial * 3
      let n = 300
      let labels = (0..<n).map { _ in Int.random(in: 0..<classes, using: &rng) }
      // Scores correlated with the label; Float values so both sides see the same numbers.
      let scores: [Float] = labels.flatMap { y in
        (0..<classes).map { c in Float.random(in: 0...1, using: &rng) + (c == y ? 0.4 : 0) }
      }
      cases.append((labels, scores, classes))
    }
    let inputs = try cases.map { c in
      try JSONEncoder().encode(
        ClassificationInput(
          labels: c.labels,
          scores: c.labels.indices.map { n in
            (0..<c.classes).map { Double(c.scores[n * c.classes + $0]) }
          },
          classCount: c.classes))
    }
    let refs = try PythonReference.evaluate(
      [ClassificationReference].self, modules: ["sklearn", "numpy"],
      script: Self.classificationScript, inputs: inputs)
    XCTAssertEqual(refs.count, cases.count)
    for (c, ref) in zip(cases, refs) {
      let r = try ClassificationEvaluator.evaluate(
        labels: c.labels, scores: c.scores, classCount: c.classes, topK: [3])
      XCTAssertEqual(r.accuracy, ref.accuracy, accuracy: 1e-12)
      XCTAssertEqual(r.topK[0].accuracy, ref.top3, accuracy: 1e-12)
      XCTAssertEqual(r.confusionMatrix, ref.confusion)
      for k in 0..<c.classes {
        XCTAssertEqual(r.perClass[k].precision, ref.precision[k], accuracy: 1e-12)
        XCTAssertEqual(r.perClass[k].recall, ref.recall[k], accuracy: 1e-12)
        XCTAssertEqual(r.perClass[k].f1, ref.f1[k], accuracy: 1e-12)
        XCTAssertEqual(r.perClass[k].curve?.averagePrecision ?? -1, ref.ap[k], accuracy: 1e-12)
      }
      XCTAssertEqual([r.macro.precision, r.macro.recall, r.macro.f1], ref.macro, accuracy: 1e-12)
      XCTAssertEqual(
        [r.weighted.precision, r.weighted.recall, r.weighted.f1], ref.weighted, accuracy: 1e-12)
    }
  }

  struct VerificationInput: Codable {
    var distances: [Double]
    var isSame: [Bool]
    var grid: [Double]
  }

  struct VerificationReference: Decodable {
    var auc: Double
    var fpr: [Double]
    var tpr: [Double]
    var gridAccuracies: [Double]
    var gridThresholds: [Double]
    var bestTrainAccuracies: [Double]
  }

  /// facenet's protocol transcribed with numpy + sklearn's KFold, plus sklearn's ROC; also the
  /// best achievable training accuracy per fold (any split), to check the midpoint search.
  static let verificationScript = """
    import json, sys
    import numpy as np
    from sklearn import metrics
    from sklearn.model_selection import KFold
    d = json.load(open(sys.argv[1]))
    dist = np.array(d["distances"]); same = np.array(d["isSame"]); grid = np.array(d["grid"])
    def acc(t, idx):
        return np.mean(np.less(dist[idx], t) == same[idx])
    accs, thrs, best_train = [], [], []
    for train, test in KFold(n_splits=10, shuffle=False).split(np.arange(len(dist))):
        a = np.array([acc(t, train) for t in grid])
        t = grid[np.argmax(a)]
        accs.append(float(acc(t, test))); thrs.append(float(t))
        cands = np.concatenate([np.unique(dist[train]), [np.inf]])
        best_train.append(float(max(np.mean((dist[train] <= c) == same[train]) for c in
                                    np.concatenate([[-np.inf], cands[:-1]]))))
    fpr, tpr, _ = metrics.roc_curve(same, -dist, drop_intermediate=False)
    print(json.dumps({"auc": metrics.roc_auc_score(same, -dist), "fpr": fpr.tolist(), "tpr": tpr.tolist(),
                      "gridAccuracies": accs, "gridThresholds": thrs, "bestTrainAccuracies": best_train}))
    """

  func testVerificationMatchesSklearnAndFacenetProtocol() throws {
    var rng = SplitMix64(seed: 11)
    let perFold = 30  // 10 folds × (30 same + 30 different)
    var distances: [Double] = []
    var isSame: [Bool] = []
    var folds: [Int] = []
    for f in 0..<10 {
      for k in 0..<(2 * perFold) {
        let same = k < perFold
        // Rounded to 1e-3 so that ties occur, as with real embeddings at low precision.
        let d = (Double.random(in: 0...1.6, using: &rng) + (same ? 0 : 0.7)).rounded(toPlaces: 3)
        distances.append(d)
        isSame.append(same)
        folds.append(f)
      }
    }
    let grid = (0..<400).map { Double($0) * 0.01 }  // np.arange(0, 4, 0.01)
    let ref = try PythonReference.evaluate(
      VerificationReference.self, modules: ["sklearn", "numpy"], script: Self.verificationScript,
      inputs: [
        try JSONEncoder().encode(
          VerificationInput(distances: distances, isSame: isSame, grid: grid))
      ])
    let gridReport = try VerificationEvaluator.evaluate(
      distances: distances, isSame: isSame, folds: folds, metric: .squaredEuclidean,
      candidates: .explicit(grid))
    XCTAssertEqual(gridReport.foldAccuracies, ref.gridAccuracies, accuracy: 1e-12)
    XCTAssertEqual(gridReport.foldThresholds, ref.gridThresholds, accuracy: 1e-12)
    XCTAssertEqual(gridReport.roc.auc, ref.auc, accuracy: 1e-12)
    XCTAssertEqual(gridReport.roc.falseAcceptRate, ref.fpr, accuracy: 1e-12)
    XCTAssertEqual(gridReport.roc.trueAcceptRate, ref.tpr, accuracy: 1e-12)
    // Midpoint search reaches the best possible training accuracy on every fold.
    let exact = try VerificationEvaluator.evaluate(
      distances: distances, isSame: isSame, folds: folds, metric: .squaredEuclidean)
    for f in 0..<10 {
      let train = distances.indices.filter { folds[$0] != f }
      let correct = train.filter { (distances[$0] < exact.foldThresholds[f]) == isSame[$0] }.count
      XCTAssertEqual(
        Double(correct) / Double(train.count), ref.bestTrainAccuracies[f], accuracy: 1e-12,
        "fold \(f)")
    }
  }
}

extension Double {
  fileprivate func rounded(toPlaces places: Int) -> Double {
    let scale = pow(10, Double(places))
    return (self * scale).rounded() / scale
  }
}

/// Element-wise `XCTAssertEqual` for arrays of doubles.
func XCTAssertEqual(
  _ a: [Double], _ b: [Double], accuracy: Double, _ message: String = "",
  file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(a.count, b.count, "lengths differ \(message)", file: file, line: line)
  for (x, y) in zip(a, b) {
    XCTAssertEqual(x, y, accuracy: accuracy, message, file: file, line: line)
  }
}
