/// A named definition of average precision: a matching protocol plus an integration rule.
///
/// The raw value is the name used on the command line and recorded in every report.
/// - `coco101`: COCOeval (cocodataset/cocoapi `cocoeval.py`): greedy matching per image and
///   category with IoU ≥ t, crowd regions ignored, at most 100 detections per image and
///   category; precision made monotone from the right, sampled at the 101 recall thresholds
///   0:0.01:1 (`searchsorted`, left; 0 beyond the last recall) and averaged.
/// - `voc07`: PASCAL VOC 2007 devkit: matching per category over the test set with IoU > t,
///   difficult boxes ignored; AP is the mean over t ∈ {0, 0.1, …, 1} of the largest precision
///   at recall ≥ t (11-point interpolation).
/// - `voc-all`: PASCAL VOC 2010+ devkit (`VOCap`): same matching; AP is the area under the
///   monotone precision envelope with sentinels (0, 0) and (1, 0), summed at recall changes.
public enum APDefinition: String, Codable, CaseIterable, Sendable {
  /// COCO 101-point interpolated AP, exact to pycocotools' COCOeval.
  case coco101
  /// VOC 2007 11-point interpolated AP.
  case voc07
  /// VOC 2010+ all-point AP (area under the monotone precision envelope).
  case vocAll = "voc-all"

  /// The per-image (and per category) detection limit this definition applies by default.
  public var defaultMaxDetections: Int? { self == .coco101 ? 100 : nil }

  /// Precision at each detection, as the definition's reference code computes it.
  ///
  /// COCO divides by `tp + fp + ε` (`np.spacing(1)`), VOC by `max(tp + fp, ε)`.
  func precision(tp: [Double], fp: [Double]) -> [Double] {
    let eps = Double.ulpOfOne
    switch self {
    case .coco101: return zip(tp, fp).map { t, f in t / (f + t + eps) }
    case .voc07, .vocAll: return zip(tp, fp).map { t, f in t / max(t + f, eps) }
    }
  }

  /// Average precision from cumulative counts and the number of positives (> 0).
  public func averagePrecision(tp: [Double], fp: [Double], positives: Int) -> Double {
    let recall = tp.map { $0 / Double(positives) }
    let precision = self.precision(tp: tp, fp: fp)
    switch self {
    case .coco101:
      let q = sampledPrecision(recall: recall, precision: precision)
      return q.reduce(0, +) / Double(q.count)
    case .voc07:
      return elevenPointAP(recall: recall, precision: precision)
    case .vocAll:
      return allPointAP(recall: recall, precision: precision)
    }
  }

  /// The precision envelope sampled at COCO's 101 recall thresholds.
  ///
  /// For every threshold r, the precision (made non-increasing from the right) at the first
  /// detection whose recall is ≥ r, or 0 when recall never reaches r; this is COCOeval's `q`.
  public func sampledPrecision(recall: [Double], precision: [Double]) -> [Double] {
    var envelope = precision
    for i in stride(from: envelope.count - 1, to: 0, by: -1) where envelope[i] > envelope[i - 1] {
      envelope[i - 1] = envelope[i]
    }
    var q = [Double](repeating: 0, count: cocoRecallThresholds.count)
    var index = 0
    for (r, threshold) in cocoRecallThresholds.enumerated() {
      while index < recall.count && recall[index] < threshold { index += 1 }
      if index == recall.count { break }
      q[r] = envelope[index]
    }
    return q
  }
}

/// VOC 2007 11-point AP: mean over t = i/10 (i = 0…10) of max precision at recall ≥ t.
///
/// The thresholds are computed as `Double(i) / 10`, so a recall of exactly 3/10 reaches t = 0.3
/// (numpy's `arange(0, 1.1, 0.1)` would give 0.30000000000000004 there).
func elevenPointAP(recall: [Double], precision: [Double]) -> Double {
  var ap = 0.0
  for i in 0...10 {
    let t = Double(i) / 10
    var p = 0.0
    for (r, pr) in zip(recall, precision) where r >= t { p = max(p, pr) }
    ap += p / 11
  }
  return ap
}

/// VOC 2010+ all-point AP (devkit `VOCap`): Σ (r[i+1] − r[i]) · envelope[i+1] over recall changes.
func allPointAP(recall: [Double], precision: [Double]) -> Double {
  let mrec = [0] + recall + [1]
  var mpre = [0] + precision + [0]
  for i in stride(from: mpre.count - 1, to: 0, by: -1) { mpre[i - 1] = max(mpre[i - 1], mpre[i]) }
  var ap = 0.0
  for i in 0..<(mrec.count - 1) where mrec[i + 1] != mrec[i] {
    ap += (mrec[i + 1] - mrec[i]) * mpre[i + 1]
  }
  return ap
}
