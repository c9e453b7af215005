/// The result of a face-verification evaluation.
///
/// Its JSON encoding is the stable `--json` format documented in `Metrics.docc/Metrics.md`.
public struct VerificationReport: Codable, Equatable, Sendable {
  /// Format identifier, `"workbench.verification-report"`.
  public var format: String = "workbench.verification-report"
  /// Format version; bumped only on incompatible changes.
  public var version: Int = 1
  /// The distance used.
  public var metric: DistanceMetric
  /// Number of pairs.
  public var pairs: Int
  /// Number of folds.
  public var folds: Int
  /// Mean of the per-fold accuracies (LFW's û).
  public var accuracy: Double
  /// Population standard deviation of the fold accuracies (`np.std`, what facenet prints).
  public var standardDeviation: Double
  /// Standard error of the mean, σ̂ / √folds with σ̂ the sample (n − 1) standard deviation, as
  /// LFW's README defines S_E.
  public var standardError: Double
  /// Accuracy on each held-out fold.
  public var foldAccuracies: [Double]
  /// The threshold chosen on the other folds and applied to each fold (same when distance <).
  public var foldThresholds: [Double]
  /// ROC over all pairs pooled, with AUC and EER.
  public var roc: ROCCurve
  /// TAR at the requested FARs (10⁻³ and 10⁻² by default).
  public var tarAtFar: [TARAtFAR]

  /// True accept rate at a false accept rate.
  public struct TARAtFAR: Codable, Equatable, Sendable {
    /// Target FAR.
    public var far: Double
    /// Highest TAR whose FAR does not exceed the target.
    public var tar: Double
    /// Distance threshold reaching it (`null` if none does).
    public var threshold: Double?

    /// Encodes every field, writing an absent threshold as `null`.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(far, forKey: .far)
      try c.encode(tar, forKey: .tar)
      try c.encode(threshold, forKey: .threshold)
    }
  }
}
