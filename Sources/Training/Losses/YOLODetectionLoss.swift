import Autograd
import Geometry

/// The YOLO loss of a detector with several heads (e.g. yolov3-tiny's strides 32 and 16).
///
/// As in YOLOv3 (Redmon & Farhadi 2018, §2.3), each object is assigned to the single anchor,
/// over all heads, whose shape matches it best (IoU at a common centre); only that head sees
/// the object as a target, at the cell containing its centre. With the heads' `anchorThreshold`
/// (YOLOv4's multi-anchor assignment), a head also sees every object that one of its anchors
/// matches with a shape IoU above it. Every head still contributes its
/// objectness (background) term. The terms are summed over heads, keeping the names `box`,
/// `objectness` and `class`.
public struct YOLODetectionLoss: Codable, Sendable {
  /// One ``YOLOLoss`` per head, in the order predictions are passed.
  public var heads: [YOLOLoss]

  /// Creates the loss from per-head losses (each with its anchors and the shared settings).
  public init(heads: [YOLOLoss]) {
    precondition(!heads.isEmpty, "YOLODetectionLoss: need at least one head")
    self.heads = heads
  }

  /// The summed weighted terms for one prediction per head and per-image targets.
  public func callAsFunction(_ predictions: [Variable], targets: [[Box]]) -> LossTerms {
    precondition(
      predictions.count == heads.count, "YOLODetectionLoss: \(predictions.count) predictions for \(heads.count) heads")
    let anchors = heads.flatMap(\.anchors)
    let owner = heads.enumerated().flatMap { h, loss in loss.anchors.map { _ in h } }
    var sums: [String: Variable] = [:], order: [String] = []
    for (h, (loss, prediction)) in zip(heads, predictions).enumerated() {
      let mine = targets.map { objects in
        objects.filter { t in
          let (width, height) = (t.w * Float(loss.inputWidth), t.h * Float(loss.inputHeight))
          if owner[YOLOAssignment.bestAnchor(width: width, height: height, anchors: anchors)] == h { return true }
          guard let threshold = loss.anchorThreshold else { return false }
          return loss.anchors.contains { YOLOAssignment.shapeIoU(width: width, height: height, $0) > threshold }
        }
      }
      for (name, value) in loss(prediction, targets: mine).terms {
        if let s = sums[name] { sums[name] = s + value } else { sums[name] = value; order.append(name) }
      }
    }
    return LossTerms(order.compactMap { name in sums[name].map { (name, $0) } })
  }
}
