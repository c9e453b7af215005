import Metrics
import Support

/// The `evaluate` section: how KPIs are computed and which gates judge them. Owned by
/// ``EvaluateStage`` (one instance per model variant; all share these settings, so every
/// variant's KPIs have the same definitions).
public struct EvaluateSettings: Codable, Equatable, Sendable {
  /// Dataset splits that can be evaluated.
  public enum Split: String, SettingChoice {
    /// The validation split (detection, classification).
    case val
    /// The test split (the faces generator's unseen identities and LFW pairs).
    case test
    /// The training split (to measure fit, not generalisation).
    case train
  }

  /// Split to evaluate on.
  public var split: Split
  /// AP definition.
  public var ap: APDefinition
  /// Detections below this score are dropped before NMS.
  public var confidenceThreshold: Double
  /// IoU above which NMS suppresses a box of the same class.
  public var nmsIou: Double
  /// Detections kept per image.
  public var maxDetections: Int
  /// Face verification distance.
  public var distance: DistanceMetric
  /// Images per inference batch (does not change any KPI).
  public var batchSize: Int
  /// `metric` or `variant.metric` → condition, as written.
  public var gates: [String: String]

  static let schema = Schema.object(
    fields: [
      .init("split", .choice(Split.self, "Split to evaluate on."), default: "val"),
      .init("ap", .choice(APDefinition.self, "AP definition."), default: "coco101"),
      .init("confidence_threshold", .fraction("Detections below this score are dropped before NMS."), default: 0.01),
      .init("nms_iou", .fraction("IoU above which NMS suppresses a box of the same class."), default: 0.45),
      .init("max_detections", .int(min: 1, "Detections kept per image."), default: 100),
      .init("distance", .choice(DistanceMetric.self, "Face verification distance."), default: "cosine"),
      .init("batch_size", .int(min: 1, "Images per inference batch (does not change any KPI)."), default: 32),
      .init(
        "gates",
        .map(
          of: .string(choices: nil, doc: "A condition like \">= 0.6\"."),
          doc:
            "KPI gates: `metric` (the float model's KPI) or `variant.metric` (e.g. `quantized.map50`, later `k210.fps`) → condition; a failed gate exits with code 3."
        ), default: .object([:])),
    ], doc: "KPI evaluation.")

  /// The gates, parsed (invalid ones were rejected by validation).
  public var parsedGates: [Gate] {
    gates.sorted { $0.key < $1.key }.compactMap { Gate.parse(metric: $0.key, condition: $0.value) }
  }
}

/// The `report` section. Owned by the runner's report hook.
public struct ReportSettings: Codable, Equatable, Sendable {
  /// Render report.html and report.md.
  public var enabled: Bool

  static let schema = Schema.object(
    fields: [
      .init("enabled", .bool(doc: "Render report.html and report.md."), default: true)
    ], doc: "Report rendering.")
}
