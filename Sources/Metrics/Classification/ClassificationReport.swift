/// The result of a classification evaluation.
///
/// Its JSON encoding is the stable `--json` format documented in `Metrics.docc/Metrics.md`.
public struct ClassificationReport: Codable, Equatable, Sendable {
  /// Format identifier, `"workbench.classification-report"`.
  public var format: String = "workbench.classification-report"
  /// Format version; bumped only on incompatible changes.
  public var version: Int = 1
  /// Number of samples.
  public var samples: Int
  /// Class names (indices as strings when none were given).
  public var classNames: [String]
  /// Fraction of samples whose prediction (arg-max score, lowest index on ties) is the label.
  public var accuracy: Double
  /// Top-k accuracies, for each requested k (only when scores were given).
  public var topK: [TopK]
  /// Per-class counts and scores, by class index.
  public var perClass: [PerClass]
  /// Unweighted mean over all classes (scikit-learn `average="macro"`, zero division → 0).
  public var macro: Averages
  /// Pooled over samples (scikit-learn `average="micro"`; equals accuracy for single labels).
  public var micro: Averages
  /// Mean weighted by support (scikit-learn `average="weighted"`).
  public var weighted: Averages
  /// Mean one-vs-rest AP over classes with positives (only when scores were given).
  public var meanAveragePrecision: Double?
  /// `confusionMatrix[label][prediction]`.
  public var confusionMatrix: [[Int]]
  /// Reliability diagram and calibration errors of the top-class confidence (only when the
  /// scores were logits or probabilities).
  public var calibration: ReliabilityCurve? = nil

  /// Encodes every field, writing absent values as `null` (the documented, stable form).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(format, forKey: .format)
    try c.encode(version, forKey: .version)
    try c.encode(samples, forKey: .samples)
    try c.encode(classNames, forKey: .classNames)
    try c.encode(accuracy, forKey: .accuracy)
    try c.encode(topK, forKey: .topK)
    try c.encode(perClass, forKey: .perClass)
    try c.encode(macro, forKey: .macro)
    try c.encode(micro, forKey: .micro)
    try c.encode(weighted, forKey: .weighted)
    try c.encode(meanAveragePrecision, forKey: .meanAveragePrecision)
    try c.encode(confusionMatrix, forKey: .confusionMatrix)
    try c.encode(calibration, forKey: .calibration)
  }

  /// Accuracy when any of the k highest-scoring classes may be right.
  public struct TopK: Codable, Equatable, Sendable {
    /// k.
    public var k: Int
    /// The top-k accuracy.
    public var accuracy: Double
  }

  /// Precision, recall and F1 of one averaging mode.
  public struct Averages: Codable, Equatable, Sendable {
    /// Precision.
    public var precision: Double
    /// Recall.
    public var recall: Double
    /// F1.
    public var f1: Double
  }

  /// One class's results.
  public struct PerClass: Codable, Equatable, Sendable {
    /// Class index.
    public var index: Int
    /// Class name.
    public var name: String
    /// Samples with this label.
    public var support: Int
    /// Samples predicted as this class.
    public var predicted: Int
    /// TP / (TP + FP), 0 when nothing is predicted as this class.
    public var precision: Double
    /// TP / (TP + FN), 0 when the class has no samples.
    public var recall: Double
    /// 2TP / (2TP + FP + FN), 0 when that is 0 / 0.
    public var f1: Double
    /// One-vs-rest PR curve on this class's score (only when scores were given).
    public var curve: PrecisionRecallCurve?

    /// Encodes every field, writing an absent curve as `null`.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(index, forKey: .index)
      try c.encode(name, forKey: .name)
      try c.encode(support, forKey: .support)
      try c.encode(predicted, forKey: .predicted)
      try c.encode(precision, forKey: .precision)
      try c.encode(recall, forKey: .recall)
      try c.encode(f1, forKey: .f1)
      try c.encode(curve, forKey: .curve)
    }
  }
}
