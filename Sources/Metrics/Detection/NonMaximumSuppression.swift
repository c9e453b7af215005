/// Greedy non-maximum suppression, per class, with a per-image detection limit.
///
/// Detections are visited by descending score (ties in input order); one is kept unless a kept
/// detection of the same class (of any class when `classAware` is false) overlaps it with
/// IoU > `iouThreshold` — the rule of torchvision's `batched_nms` and Ultralytics'
/// `non_max_suppression`. The survivors are returned by descending score, at most
/// `maxDetections` of them.
public enum NonMaximumSuppression {
  /// Suppresses overlapping detections of one image.
  ///
  /// - Parameters:
  ///   - detections: Candidates of one image.
  ///   - iouThreshold: Overlap above which the lower-scoring box is dropped.
  ///   - maxDetections: Limit on the result (`nil`: no limit).
  ///   - classAware: Whether only boxes of the same class suppress each other.
  /// - Returns: Kept detections, by descending score.
  public static func apply(
    _ detections: [DecodedDetection], iouThreshold: Float, maxDetections: Int? = nil,
    classAware: Bool = true
  ) -> [DecodedDetection] {
    let order = detections.indices.sorted {
      detections[$0].score > detections[$1].score
        || (detections[$0].score == detections[$1].score && $0 < $1)
    }
    var keptByClass: [Int: [DecodedDetection]] = [:]
    var kept: [DecodedDetection] = []
    for n in order {
      if let m = maxDetections, kept.count >= m { break }
      let d = detections[n]
      let key = classAware ? d.classIndex : 0
      let rivals = keptByClass[key, default: []]
      if rivals.contains(where: { $0.iou(d) > iouThreshold }) { continue }
      keptByClass[key, default: []].append(d)
      kept.append(d)
    }
    return kept
  }
}
