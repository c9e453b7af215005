extension DetectionReport: MetricsReport {
  /// A summary: headline mAPs, the operating point and a per-category table.
  public func renderText() -> String {
    var lines: [String] = []
    let thresholds =
      iouThresholds.count == 1
      ? fixed(iouThresholds[0], 2)
      : "\(fixed(iouThresholds.first, 2))…\(fixed(iouThresholds.last, 2)) (\(iouThresholds.count))"
    let limit =
      maxDetections.map { "at most \($0) detections per image and category" }
      ?? "no detection limit"
    lines.append(
      "Detection evaluation — AP definition \(definition.rawValue), IoU \(thresholds), \(limit)")
    lines.append(
      "images \(counts.images), categories \(counts.categories), ground truth \(counts.groundTruth) (\(counts.positives) positives), detections \(counts.detections)"
    )
    lines.append(
      "mAP \(fixed(map))   mAP@0.50 \(fixed(map50))   mAP@0.75 \(fixed(map75))")
    let p = operatingPoint
    lines.append(
      "best macro F1 \(fixed(p.f1, 3)) at confidence \(fixed(p.confidence, 3)): precision \(fixed(p.precision, 3)), recall \(fixed(p.recall, 3)) (IoU \(fixed(confidenceCurves.iouThreshold, 2)))"
    )
    lines.append("")
    let nameWidth = max(8, categories.map(\.name.count).max() ?? 0)
    lines.append(
      pad("category", nameWidth, left: false) + pad("id", 6) + pad("positives", 11)
        + pad("detections", 12)
        + pad("AP50", 9) + pad("AP", 9))
    for c in categories {
      lines.append(
        pad(c.name, nameWidth, left: false) + pad(String(c.id), 6) + pad(String(c.positives), 11)
          + pad(String(c.detections), 12) + pad(fixed(c.ap50), 9) + pad(fixed(c.apMean), 9))
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
