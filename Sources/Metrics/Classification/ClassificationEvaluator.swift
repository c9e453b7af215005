import Foundation

/// Classification KPIs: accuracy, top-k, per-class and averaged precision/recall/F1, the
/// confusion matrix and one-vs-rest PR curves with AP.
///
/// Definitions follow scikit-learn (`accuracy_score`, `precision_recall_fscore_support` with
/// `zero_division=0`, `confusion_matrix`, `average_precision_score`). The prediction is the
/// arg-max score with ties going to the lowest class index (`numpy.argmax`); top-k ranks ties
/// the same way, so top-1 accuracy always equals accuracy. (scikit-learn's
/// `top_k_accuracy_score` breaks ties towards the higher index; without ties they agree.)
public enum ClassificationEvaluator {
  /// Evaluates scores laid out row-major as `[samples, classCount]`.
  ///
  /// - Parameters:
  ///   - labels: The true class of each sample, in `0..<classCount`.
  ///   - scores: `labels.count × classCount` scores (logits or probabilities), row-major.
  ///   - classCount: The number of classes.
  ///   - classNames: Optional names, one per class.
  ///   - topK: The k values to report top-k accuracy for.
  ///   - scoreKind: What the scores are; with `.logits` or `.probabilities` the report has a
  ///     ``ReliabilityCurve`` (confidence = top softmax probability, or top probability).
  ///   - calibrationBins: The number of equal-width confidence bins of the reliability curve.
  /// - Throws: ``ClassificationInputError`` naming the first bad sample.
  public static func evaluate(
    labels: [Int], scores: [Float], classCount: Int, classNames: [String]? = nil,
    topK: [Int] = [1, 5], scoreKind: ScoreKind = .scores, calibrationBins: Int = 15
  ) throws -> ClassificationReport {
    try validate(labels: labels, classCount: classCount, classNames: classNames)
    guard scores.count == labels.count * classCount else {
      throw ClassificationInputError.scoreCountMismatch(
        expected: labels.count * classCount, actual: scores.count)
    }
    for k in topK where k < 1 { throw ClassificationInputError.invalidTopK(k) }
    guard calibrationBins >= 1 else { throw ClassificationInputError.invalidBinCount(calibrationBins) }
    var predictions: [Int] = []
    predictions.reserveCapacity(labels.count)
    var hits = [Int](repeating: 0, count: topK.count)
    for n in labels.indices {
      let row = scores[(n * classCount)..<((n + 1) * classCount)]
      var best = 0
      for (c, v) in row.enumerated() {
        guard v.isFinite else {
          throw ClassificationInputError.nonFiniteScore(sample: n, classIndex: c, value: v)
        }
        if v > row[row.startIndex + best] { best = c }
      }
      predictions.append(best)
      // Rank of the label: classes scoring higher, or equal with a lower index.
      let y = labels[n]
      let sy = row[row.startIndex + y]
      var rank = 0
      for (c, v) in row.enumerated() where v > sy || (v == sy && c < y) { rank += 1 }
      for (j, k) in topK.enumerated() where rank < k { hits[j] += 1 }
    }
    var report = try evaluate(
      labels: labels, predictions: predictions, classCount: classCount, classNames: classNames)
    report.topK = zip(topK, hits).map { .init(k: $0, accuracy: Double($1) / Double(labels.count)) }
    var aps: [Double] = []
    for c in 0..<classCount {
      let curve = PrecisionRecallCurve(
        scores: labels.indices.map { Double(scores[$0 * classCount + c]) },
        labels: labels.map { $0 == c })
      report.perClass[c].curve = curve
      if let ap = curve.averagePrecision { aps.append(ap) }
    }
    report.meanAveragePrecision = aps.isEmpty ? nil : aps.reduce(0, +) / Double(aps.count)
    if scoreKind != .scores {
      var confidences: [Double] = []
      confidences.reserveCapacity(labels.count)
      for n in labels.indices {
        let row = scores[(n * classCount)..<((n + 1) * classCount)]
        confidences.append(try confidence(row, at: predictions[n], kind: scoreKind, sample: n))
      }
      report.calibration = ReliabilityCurve(
        confidences: confidences, correct: zip(labels, predictions).map { $0 == $1 }, binCount: calibrationBins)
    }
    return report
  }

  /// Evaluates hard predictions (no top-k, no curves).
  ///
  /// - Throws: ``ClassificationInputError`` naming the first bad sample.
  public static func evaluate(
    labels: [Int], predictions: [Int], classCount: Int, classNames: [String]? = nil
  ) throws -> ClassificationReport {
    try validate(labels: labels, classCount: classCount, classNames: classNames)
    guard predictions.count == labels.count else {
      throw ClassificationInputError.lengthMismatch(
        labels: labels.count, predictions: predictions.count)
    }
    var confusion = [[Int]](repeating: [Int](repeating: 0, count: classCount), count: classCount)
    for (n, (y, p)) in zip(labels, predictions).enumerated() {
      guard (0..<classCount).contains(p) else {
        throw ClassificationInputError.predictionOutOfRange(
          sample: n, prediction: p, classCount: classCount)
      }
      confusion[y][p] += 1
    }
    let names = classNames ?? (0..<classCount).map(String.init)
    var perClass: [ClassificationReport.PerClass] = []
    var correct = 0
    for c in 0..<classCount {
      let tp = confusion[c][c]
      correct += tp
      let support = confusion[c].reduce(0, +)
      let predicted = confusion.reduce(0) { $0 + $1[c] }
      let fp = predicted - tp
      let fn = support - tp
      perClass.append(
        .init(
          index: c, name: names[c], support: support, predicted: predicted,
          precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn),
          f1: ratio(2 * tp, 2 * tp + fp + fn), curve: nil))
    }
    let n = Double(labels.count)
    let k = Double(classCount)
    let accuracy = Double(correct) / n
    func mean(_ value: (ClassificationReport.PerClass) -> Double, weighted: Bool) -> Double {
      perClass.reduce(0) { $0 + value($1) * (weighted ? Double($1.support) : 1) }
        / (weighted ? n : k)
    }
    func averages(weighted: Bool) -> ClassificationReport.Averages {
      .init(
        precision: mean(\.precision, weighted: weighted),
        recall: mean(\.recall, weighted: weighted),
        f1: mean(\.f1, weighted: weighted))
    }
    return ClassificationReport(
      samples: labels.count, classNames: names, accuracy: accuracy, topK: [], perClass: perClass,
      macro: averages(weighted: false),
      micro: .init(precision: accuracy, recall: accuracy, f1: accuracy),
      weighted: averages(weighted: true), meanAveragePrecision: nil, confusionMatrix: confusion)
  }

  /// The probability of class `best` in `row`: its softmax for logits (computed in Double,
  /// shifted by the row maximum), the value itself for probabilities (checked to be one).
  private static func confidence(_ row: ArraySlice<Float>, at best: Int, kind: ScoreKind, sample: Int) throws -> Double
  {
    switch kind {
    case .logits:
      let top = Double(row[row.startIndex + best])
      return 1 / row.reduce(0) { $0 + exp(Double($1) - top) }
    case .probabilities:
      let sum = row.reduce(0) { $0 + Double($1) }
      guard abs(sum - 1) <= 1e-3, row.allSatisfy({ (0...1).contains($0) }) else {
        throw ClassificationInputError.notProbabilities(sample: sample, sum: sum)
      }
      return Double(row[row.startIndex + best])
    case .scores:
      return 0
    }
  }

  private static func validate(labels: [Int], classCount: Int, classNames: [String]?) throws {
    guard classCount >= 1 else { throw ClassificationInputError.invalidClassCount(classCount) }
    guard !labels.isEmpty else { throw ClassificationInputError.empty }
    if let names = classNames, names.count != classCount {
      throw ClassificationInputError.classNameCountMismatch(
        expected: classCount, actual: names.count)
    }
    for (n, y) in labels.enumerated() where !(0..<classCount).contains(y) {
      throw ClassificationInputError.labelOutOfRange(sample: n, label: y, classCount: classCount)
    }
  }

  private static func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : Double(a) / Double(b) }
}
