/// The outcome of one detection at one IoU threshold.
public enum MatchOutcome: UInt8, Sendable {
  /// Unmatched, or a duplicate on an already matched ground truth: a false positive.
  case falsePositive = 0
  /// Matched to a ground truth that was not yet used: a true positive.
  case truePositive = 1
  /// Matched to a crowd / ignored / difficult ground truth (or outside the area range):
  /// counted neither as true nor as false positive.
  case ignored = 2
}

/// One category's detections in evaluation order with their outcome at every IoU threshold.
///
/// This is the shared hand-off between a matching protocol (COCO or VOC) and the AP
/// definitions, PR curves and confidence curves.
public struct CategoryMatches: Sendable {
  /// Non-ignored ground-truth boxes of the category (the recall denominator).
  public var positives: Int
  /// Detection scores, in the order the protocol accumulates them (descending).
  public var scores: [Double]
  /// `outcomes[t][n]`: outcome of detection `n` at IoU threshold `t`.
  public var outcomes: [[MatchOutcome]]

  /// Creates a match table.
  public init(positives: Int, scores: [Double], outcomes: [[MatchOutcome]]) {
    self.positives = positives
    self.scores = scores
    self.outcomes = outcomes
  }

  /// Cumulative true- and false-positive counts along the detections at threshold `t`.
  ///
  /// Ignored detections keep their slot (with the counts of the previous one), as in
  /// pycocotools' `accumulate` and the VOC devkit, so that curves have one point per detection.
  public func cumulativeCounts(threshold t: Int) -> (tp: [Double], fp: [Double]) {
    var tp = [Double](repeating: 0, count: scores.count)
    var fp = [Double](repeating: 0, count: scores.count)
    var ctp = 0.0
    var cfp = 0.0
    for (n, o) in outcomes[t].enumerated() {
      switch o {
      case .truePositive: ctp += 1
      case .falsePositive: cfp += 1
      case .ignored: break
      }
      tp[n] = ctp
      fp[n] = cfp
    }
    return (tp, fp)
  }
}
