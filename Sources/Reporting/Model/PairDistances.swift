/// `stages/evaluate-float/verification_distances.json`: the distance of every evaluated pair,
/// split into matched (same identity) and mismatched pairs, for the distance histograms.
///
/// Metrics' verification report keeps only the ROC, so the runner writes this next to it:
/// `{"metric": "cosine", "same": [d, …], "different": [d, …]}`.
public struct PairDistances: Codable, Equatable, Sendable {
  /// The distance used, e.g. `cosine`.
  public var metric: String?
  /// Distances of matched pairs.
  public var same: [Double]
  /// Distances of mismatched pairs.
  public var different: [Double]

  /// Creates pair distances.
  public init(metric: String?, same: [Double], different: [Double]) {
    self.metric = metric
    self.same = same
    self.different = different
  }
}
