/// A ROC curve of a verification task, with AUC, EER and TAR at fixed FARs.
///
/// A pair is accepted ("same person") when its distance is ≤ the threshold. There is one point
/// per distinct distance, ascending, after a first point (0, 0) at threshold −∞ — the points of
/// scikit-learn's `roc_curve(y, −distance, drop_intermediate=False)`. AUC is the trapezoidal
/// area (`roc_auc_score`).
public struct ROCCurve: Codable, Equatable, Sendable {
  /// Distance thresholds, ascending (the first is −∞ encoded as `null` in JSON).
  public var thresholds: [Double?]
  /// False accept rate (FPR) at each threshold.
  public var falseAcceptRate: [Double]
  /// True accept rate (TPR) at each threshold.
  public var trueAcceptRate: [Double]
  /// Area under the curve.
  public var auc: Double
  /// Equal error rate: where FAR = 1 − TAR, interpolated linearly between the two points that
  /// bracket the crossing.
  public var equalErrorRate: Double
  /// The threshold of the first point at which 1 − TAR ≤ FAR.
  public var equalErrorThreshold: Double?

  /// Encodes every field, writing absent values as `null`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(thresholds, forKey: .thresholds)
    try c.encode(falseAcceptRate, forKey: .falseAcceptRate)
    try c.encode(trueAcceptRate, forKey: .trueAcceptRate)
    try c.encode(auc, forKey: .auc)
    try c.encode(equalErrorRate, forKey: .equalErrorRate)
    try c.encode(equalErrorThreshold, forKey: .equalErrorThreshold)
  }

  /// Builds the curve from distances and same/different labels (both classes must occur).
  public init(distances: [Double], isSame: [Bool]) {
    let order = distances.indices.sorted { distances[$0] < distances[$1] }
    let positives = Double(isSame.filter { $0 }.count)
    let negatives = Double(isSame.count) - positives
    var thresholds: [Double?] = [nil]
    var far = [0.0]
    var tar = [0.0]
    var tp = 0.0
    var fp = 0.0
    var n = 0
    while n < order.count {
      let d = distances[order[n]]
      while n < order.count && distances[order[n]] == d {
        if isSame[order[n]] { tp += 1 } else { fp += 1 }
        n += 1
      }
      thresholds.append(d)
      far.append(negatives > 0 ? fp / negatives : 0)
      tar.append(positives > 0 ? tp / positives : 0)
    }
    var auc = 0.0
    for i in 1..<far.count { auc += (far[i] - far[i - 1]) * (tar[i] + tar[i - 1]) / 2 }
    var eer = 1.0
    var eerThreshold: Double? = nil
    for i in 1..<far.count where 1 - tar[i] <= far[i] {
      let a = (1 - tar[i - 1]) - far[i - 1]
      let b = (1 - tar[i]) - far[i]
      let alpha = a - b > 0 ? a / (a - b) : 0
      eer = far[i - 1] + alpha * (far[i] - far[i - 1])
      eerThreshold = thresholds[i]
      break
    }
    self.thresholds = thresholds
    self.falseAcceptRate = far
    self.trueAcceptRate = tar
    self.auc = auc
    self.equalErrorRate = eer
    self.equalErrorThreshold = eerThreshold
  }

  /// The highest TAR among points whose FAR ≤ `far`, with that point's threshold.
  public func trueAcceptRate(atFalseAcceptRate far: Double) -> (tar: Double, threshold: Double?) {
    var best = (tar: 0.0, threshold: Double?.none)
    for i in falseAcceptRate.indices where falseAcceptRate[i] <= far && trueAcceptRate[i] > best.tar {
      best = (trueAcceptRate[i], thresholds[i])
    }
    return best
  }
}
