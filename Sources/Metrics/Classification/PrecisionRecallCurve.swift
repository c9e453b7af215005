/// A one-vs-rest precision–recall curve and its average precision, as scikit-learn defines them.
///
/// Samples are sorted by descending score; there is one point per distinct score (tied scores
/// enter together), with precision TP / (TP + FP) and recall TP / positives at that threshold.
/// AP is scikit-learn's `average_precision_score`: Σ (Rₙ − Rₙ₋₁) · Pₙ over the points, with
/// R₀ = 0 — the step-wise area, without interpolation.
public struct PrecisionRecallCurve: Codable, Equatable, Sendable {
  /// Score thresholds, descending.
  public var thresholds: [Double]
  /// Precision at each threshold.
  public var precision: [Double]
  /// Recall at each threshold.
  public var recall: [Double]
  /// Average precision; `nil` when there are no positives.
  public var averagePrecision: Double?

  /// Encodes every field, writing an absent AP as `null`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(thresholds, forKey: .thresholds)
    try c.encode(precision, forKey: .precision)
    try c.encode(recall, forKey: .recall)
    try c.encode(averagePrecision, forKey: .averagePrecision)
  }

  /// Builds the curve of binary `labels` (true = positive) and their `scores`.
  public init(scores: [Double], labels: [Bool]) {
    precondition(scores.count == labels.count, "PrecisionRecallCurve: scores and labels differ")
    let order = scores.indices.sorted { scores[$0] > scores[$1] }
    let positives = labels.reduce(0) { $0 + ($1 ? 1 : 0) }
    var thresholds: [Double] = []
    var precision: [Double] = []
    var recall: [Double] = []
    var tp = 0.0
    var fp = 0.0
    var n = 0
    var ap = 0.0
    var lastRecall = 0.0
    while n < order.count {
      let s = scores[order[n]]
      while n < order.count && scores[order[n]] == s {
        if labels[order[n]] { tp += 1 } else { fp += 1 }
        n += 1
      }
      let p = tp / (tp + fp)
      let r = positives > 0 ? tp / Double(positives) : 0
      thresholds.append(s)
      precision.append(p)
      recall.append(r)
      ap += (r - lastRecall) * p
      lastRecall = r
    }
    self.thresholds = thresholds
    self.precision = precision
    self.recall = recall
    self.averagePrecision = positives > 0 ? ap : nil
  }
}
