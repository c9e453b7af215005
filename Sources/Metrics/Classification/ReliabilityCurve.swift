/// A reliability diagram and the expected calibration error (ECE) of a classifier's
/// confidence, as Guo et al. define them ("On Calibration of Modern Neural Networks", ICML 2017,
/// §2): the confidence of a sample is its top predicted probability; samples are put in `M`
/// equal-width bins `I_m = ((m − 1)/M, m/M]` (the first bin also takes 0); per bin, accuracy is
/// the fraction predicted correctly and confidence the mean confidence, and
///
///     ECE = Σ_m |B_m| / n · |acc(B_m) − conf(B_m)|,     MCE = max_m |acc(B_m) − conf(B_m)|
///
/// over non-empty bins. Bin edges match scikit-learn's `calibration_curve(strategy="uniform")`
/// (a value on an edge belongs to the lower bin), whose `prob_true`/`prob_pred` are the
/// non-empty bins' accuracy and confidence.
public struct ReliabilityCurve: Codable, Equatable, Sendable {
  /// One confidence bin.
  public struct Bin: Codable, Equatable, Sendable {
    /// The bin's confidence range, `(lower, upper]`.
    public var lower: Double
    public var upper: Double
    /// Samples whose confidence falls in the bin.
    public var count: Int
    /// Fraction of them predicted correctly (0 when empty).
    public var accuracy: Double
    /// Their mean confidence (0 when empty).
    public var confidence: Double
  }

  /// All `M` bins, in order (empty ones included, with count 0).
  public var bins: [Bin]
  /// Expected calibration error.
  public var expectedCalibrationError: Double
  /// Maximum calibration error over non-empty bins.
  public var maximumCalibrationError: Double
  /// Mean confidence over all samples (overconfident when above the accuracy).
  public var meanConfidence: Double

  /// Builds the curve from each sample's confidence (in 0...1) and whether it was right.
  public init(confidences: [Double], correct: [Bool], binCount: Int = 15) {
    precondition(confidences.count == correct.count, "ReliabilityCurve: confidences and correct differ in length")
    precondition(binCount >= 1, "ReliabilityCurve: binCount \(binCount) must be at least 1")
    var count = [Int](repeating: 0, count: binCount)
    var hits = [Int](repeating: 0, count: binCount)
    var sum = [Double](repeating: 0, count: binCount)
    for (p, ok) in zip(confidences, correct) {
      let m = Self.bin(of: p, binCount: binCount)
      count[m] += 1
      sum[m] += p
      if ok { hits[m] += 1 }
    }
    let n = Double(max(confidences.count, 1))
    var ece = 0.0, mce = 0.0
    var bins: [Bin] = []
    for m in 0..<binCount {
      let k = count[m]
      let acc = k > 0 ? Double(hits[m]) / Double(k) : 0
      let conf = k > 0 ? sum[m] / Double(k) : 0
      if k > 0 {
        ece += Double(k) / n * abs(acc - conf)
        mce = max(mce, abs(acc - conf))
      }
      bins.append(
        Bin(
          lower: Double(m) / Double(binCount), upper: Double(m + 1) / Double(binCount),
          count: k, accuracy: acc, confidence: conf))
    }
    self.bins = bins
    expectedCalibrationError = ece
    maximumCalibrationError = mce
    meanConfidence = confidences.reduce(0, +) / n
  }

  /// The bin of confidence `p`: the `m` with `m/M < p ≤ (m + 1)/M`, clamped to `0..<M`.
  static func bin(of p: Double, binCount: Int) -> Int {
    let scaled = p * Double(binCount)
    let m = Int(scaled.rounded(.up)) - 1
    return min(binCount - 1, max(0, m))
  }
}
