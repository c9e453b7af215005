/// The result of a detection evaluation; its JSON encoding is the stable `--json` output.
///
/// See `Sources/Metrics/Metrics.docc/Metrics.md` for the documented format. Values that do not
/// exist (AP of a category without ground truth, mAP@0.5 when 0.5 is not among the thresholds)
/// are `null`.
public struct DetectionReport: Codable, Equatable, Sendable {
  /// Format identifier, `"workbench.detection-report"`.
  public var format: String = "workbench.detection-report"
  /// Format version; bumped only on incompatible changes.
  public var version: Int = 1
  /// The AP definition every number here was computed with.
  public var definition: APDefinition
  /// IoU thresholds, in the order of every per-threshold array.
  public var iouThresholds: [Double]
  /// Detection limit per image and category, if any.
  public var maxDetections: Int?
  /// Input sizes.
  public var counts: Counts
  /// Mean over thresholds of the per-threshold mAP (mAP@[.5:.95] with the default thresholds).
  public var map: Double?
  /// mAP at IoU 0.5, if 0.5 is a threshold.
  public var map50: Double?
  /// mAP at IoU 0.75, if 0.75 is a threshold.
  public var map75: Double?
  /// mAP (mean AP over categories with ground truth) at each threshold.
  public var mapPerThreshold: [Double?]
  /// Per-category results, ascending by category id.
  public var categories: [CategoryResult]
  /// Precision/recall/F1 against confidence, at ``ConfidenceCurves/iouThreshold``.
  public var confidenceCurves: ConfidenceCurves
  /// Macro precision, recall and F1 at the confidence maximising the macro F1.
  public var operatingPoint: OperatingPoint
  /// Class confusion including background, at the operating point's confidence.
  public var confusionMatrix: ConfusionMatrix

  /// Encodes every field, writing absent values as `null` (the documented, stable form).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(format, forKey: .format)
    try c.encode(version, forKey: .version)
    try c.encode(definition, forKey: .definition)
    try c.encode(iouThresholds, forKey: .iouThresholds)
    try c.encode(maxDetections, forKey: .maxDetections)
    try c.encode(counts, forKey: .counts)
    try c.encode(map, forKey: .map)
    try c.encode(map50, forKey: .map50)
    try c.encode(map75, forKey: .map75)
    try c.encode(mapPerThreshold, forKey: .mapPerThreshold)
    try c.encode(categories, forKey: .categories)
    try c.encode(confidenceCurves, forKey: .confidenceCurves)
    try c.encode(operatingPoint, forKey: .operatingPoint)
    try c.encode(confusionMatrix, forKey: .confusionMatrix)
  }

  /// Numbers of inputs.
  public struct Counts: Codable, Equatable, Sendable {
    /// Images in the ground truth.
    public var images: Int
    /// Categories in the ground truth.
    public var categories: Int
    /// Ground-truth boxes, including ignored ones.
    public var groundTruth: Int
    /// Ground-truth boxes counted as positives (not crowd / ignored).
    public var positives: Int
    /// Detections in the results.
    public var detections: Int
  }

  /// One category's results.
  public struct CategoryResult: Codable, Equatable, Sendable {
    /// Category id.
    public var id: Int
    /// Category name.
    public var name: String
    /// Positives (non-ignored ground truth).
    public var positives: Int
    /// Detections evaluated (after the per-image limit).
    public var detections: Int
    /// AP at each IoU threshold; `null` when the category has no positives.
    public var ap: [Double]?
    /// AP at IoU 0.5, if 0.5 is a threshold and the category has positives.
    public var ap50: Double?
    /// Mean of `ap` over thresholds.
    public var apMean: Double?
    /// The precision envelope at recall 0, 0.01, …, 1 (101 values) at the curve IoU threshold.
    public var precisionAtRecall: [Double]?

    /// Encodes every field, writing absent values as `null`.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: CodingKeys.self)
      try c.encode(id, forKey: .id)
      try c.encode(name, forKey: .name)
      try c.encode(positives, forKey: .positives)
      try c.encode(detections, forKey: .detections)
      try c.encode(ap, forKey: .ap)
      try c.encode(ap50, forKey: .ap50)
      try c.encode(apMean, forKey: .apMean)
      try c.encode(precisionAtRecall, forKey: .precisionAtRecall)
    }
  }

  /// Curves against confidence: per category and macro-averaged over categories with positives.
  public struct ConfidenceCurves: Codable, Equatable, Sendable {
    /// IoU threshold of the matching the curves use (0.5 when available).
    public var iouThreshold: Double
    /// Confidence grid, ascending from 0 to 1.
    public var confidence: [Double]
    /// Macro precision at each confidence (1 for a category with no detection above it).
    public var precision: [Double]
    /// Macro recall at each confidence.
    public var recall: [Double]
    /// Macro F1 at each confidence.
    public var f1: [Double]
    /// Per-category curves, for categories with positives.
    public var perCategory: [CategoryCurves]
  }

  /// One category's curves against confidence.
  public struct CategoryCurves: Codable, Equatable, Sendable {
    /// Category id.
    public var id: Int
    /// Precision at each confidence of the grid.
    public var precision: [Double]
    /// Recall at each confidence of the grid.
    public var recall: [Double]
    /// F1 at each confidence of the grid.
    public var f1: [Double]
  }

  /// Precision, recall and F1 at one confidence.
  public struct OperatingPoint: Codable, Equatable, Sendable {
    /// The confidence threshold (detections with score ≥ it are kept).
    public var confidence: Double
    /// Macro precision.
    public var precision: Double
    /// Macro recall.
    public var recall: Double
    /// Macro F1.
    public var f1: Double
  }

  /// A (categories + 1)² count matrix; the last label is `"background"`.
  ///
  /// `counts[truth][predicted]`: row = ground-truth class, column = predicted class. The
  /// background row counts false detections, the background column missed ground truth.
  public struct ConfusionMatrix: Codable, Equatable, Sendable {
    /// Category names followed by `"background"`.
    public var labels: [String]
    /// IoU threshold used to pair detections and ground truth.
    public var iouThreshold: Double
    /// Detections with score ≥ this were counted.
    public var confidence: Double
    /// The counts, row-major.
    public var counts: [[Int]]
  }
}
