import Support

/// `train.loss`: the YOLO terms for detection and the face-descriptor terms for identities.
public struct LossSettings: Codable, Equatable, Sendable {
  /// YOLO box term.
  public enum Box: String, SettingChoice {
    /// 1 − GIoU (Rezatofighi et al. 2019).
    case giou
    /// Squared error of the raw offsets (YOLOv3).
    case mse
  }
  /// YOLO objectness term.
  public enum Objectness: String, SettingChoice {
    /// Binary cross-entropy.
    case bce
    /// Focal loss (Lin et al. 2017) with `focal_gamma`, `focal_alpha`.
    case focal
  }
  /// YOLO class term.
  public enum Classification: String, SettingChoice {
    /// Softmax cross-entropy (one class per box).
    case ce
    /// Independent sigmoids with BCE (YOLOv3).
    case bce
    /// Independent sigmoids with the focal loss.
    case focal
  }

  /// YOLO box term.
  public var box: Box
  /// YOLO objectness term.
  public var objectness: Objectness
  /// YOLO class term.
  public var classification: Classification
  /// Weight of the box term (mean 1 − GIoU over assigned objects).
  public var boxWeight: Double
  /// Weight of the objectness term (mean BCE over all predictions; positives are ~2% of them, so it needs the larger weight).
  public var objectnessWeight: Double
  /// Weight of the class term.
  public var classWeight: Double
  /// Focal loss focusing parameter γ (Lin et al. 2017).
  public var focalGamma: Double
  /// Focal loss positive-class weight α (Lin et al. 2017).
  public var focalAlpha: Double
  /// Face descriptor: weight of the identity cross-entropy.
  public var ceWeight: Double
  /// Face descriptor: weight of the lifted structured loss.
  public var liftedWeight: Double
  /// Face descriptor: lifted structured loss margin α.
  public var liftedMargin: Double
  /// Cross-entropy label smoothing.
  public var labelSmoothing: Double
  /// YOLO: predictions whose box overlaps an object above this IoU are not penalised as background (YOLOv3 §2.1); 0 = off.
  public var ignoreIou: Double
  /// YOLO: also assign each object to every other anchor whose shape IoU with it exceeds this (YOLOv4's multi-anchor assignment); 0 = the best anchor only.
  public var anchorIou: Double

  static func weight(_ doc: String) -> Schema {
    .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: doc)
  }

  static let schema = Schema.object(
    fields: [
      .init("box", .choice(Box.self, "YOLO box term."), default: "giou"),
      .init("objectness", .choice(Objectness.self, "YOLO objectness term."), default: "bce"),
      .init("classification", .choice(Classification.self, "YOLO class term."), default: "ce"),
      .init("box_weight", weight("Weight of the box term (mean 1 − GIoU over assigned objects)."), default: 1),
      .init(
        "objectness_weight",
        weight(
          "Weight of the objectness term (mean BCE over all predictions; positives are ~2% of them, so it needs the larger weight)."
        ), default: 2),
      .init("class_weight", weight("Weight of the class term."), default: 0.5),
      .init("focal_gamma", weight("Focal loss focusing parameter γ (Lin et al. 2017)."), default: 2),
      .init("focal_alpha", .fraction("Focal loss positive-class weight α (Lin et al. 2017)."), default: 0.25),
      .init("ce_weight", weight("Face descriptor: weight of the identity cross-entropy."), default: 1),
      .init("lifted_weight", weight("Face descriptor: weight of the lifted structured loss."), default: 1),
      .init("lifted_margin", .positive("Face descriptor: lifted structured loss margin α."), default: 1),
      .init("label_smoothing", .fraction("Cross-entropy label smoothing."), default: 0),
      .init(
        "ignore_iou",
        .fraction(
          "YOLO: predictions whose box overlaps an object above this IoU are not penalised as background (YOLOv3 §2.1); 0 = off."
        ), default: 0.5),
      .init(
        "anchor_iou",
        .fraction(
          "YOLO: also assign each object to every other anchor whose shape IoU with it exceeds this (YOLOv4 §3.4; its configurations use 0.213); 0 = the best anchor only (YOLOv3)."
        ), default: 0),
    ], doc: "Loss settings.")
}
