import Charts
import Metrics

/// The detection section: mAPs with their definition, per-class AP, PR curves, precision,
/// recall and F1 against confidence, and the confusion matrix.
extension RunReport {
  func detectionSection() -> ReportSection? {
    guard let d = detection else { return nil }
    let thresholds =
      d.iouThresholds.count == 1
      ? Format.metric(d.iouThresholds[0])
      : "\(TickFormatter.compact(d.iouThresholds.first ?? 0))…\(TickFormatter.compact(d.iouThresholds.last ?? 0)) (\(d.iouThresholds.count) thresholds)"
    let p = d.operatingPoint
    let facts: [(String, Inline)] = [
      ("AP definition", .code(d.definition.rawValue)),
      ("IoU thresholds", .text(thresholds)),
      ("Detection limit", .text(d.maxDetections.map { "\($0) per image and class" } ?? "none")),
      (
        "Images / ground truth / detections",
        .text(
          "\(Format.count(d.counts.images)) / \(Format.count(d.counts.positives)) / \(Format.count(d.counts.detections))"
        )
      ),
      ("mAP@0.5", .strong(Format.metric(d.map50))),
      ("mAP@[.5:.95]", .text(Format.metric(d.map))),
      ("mAP@0.75", .text(Format.metric(d.map75))),
      (
        "Best macro F1",
        .text(
          "\(Format.metric(p.f1)) at confidence \(Format.metric(p.confidence)) (precision \(Format.metric(p.precision)), recall \(Format.metric(p.recall)))"
        )
      ),
    ]
    let rows: [[Inline]] = d.categories.map { c in
      [
        .text(c.name), .text(String(c.id)), .text(Format.count(c.positives)), .text(Format.count(c.detections)),
        .text(Format.metric(c.ap50)), .text(Format.metric(c.apMean)),
      ]
    }
    let table = ReportTable(
      headers: ["class", "id", "positives", "detections", "AP50", "AP"], rows: rows, numericColumns: [1, 2, 3, 4, 5],
      sortable: true)
    var figures = [prFigure(d), confidenceFigure(d)].compactMap { $0 }
    figures.append(confusionFigure(d.confusionMatrix))
    return ReportSection(
      id: "detection", title: "Detection", blocks: [.table(.keyValues(facts)), .table(table), .figureRow(figures)])
  }

  func prFigure(_ d: DetectionReport) -> Figure? {
    let recall = (0...100).map { Double($0) / 100 }
    let series = d.categories.compactMap { c in c.precisionAtRecall.map { Series(name: c.name, x: recall, y: $0) } }
    guard !series.isEmpty else { return nil }
    let iou = TickFormatter.compact(d.confidenceCurves.iouThreshold)
    return Figure(
      id: "detection-pr",
      chart: Chart(
        title: "Precision–recall per class (IoU \(iou))", xAxis: .unit("recall"), yAxis: .unit("precision"),
        content: .xy(series), showsLegend: true))
  }

  func confidenceFigure(_ d: DetectionReport) -> Figure? {
    let c = d.confidenceCurves
    guard !c.confidence.isEmpty else { return nil }
    let p = d.operatingPoint
    let series = [
      Series(name: "precision", x: c.confidence, y: c.precision),
      Series(name: "recall", x: c.confidence, y: c.recall),
      Series(name: "F1", x: c.confidence, y: c.f1),
      Series(name: "best F1", x: [p.confidence], y: [p.f1], style: .scatter, colorIndex: 6),
    ]
    return Figure(
      id: "detection-confidence",
      chart: Chart(
        title: "Macro precision, recall and F1 vs confidence", xAxis: .unit("confidence"), yAxis: .unit("value"),
        content: .xy(series), showsLegend: true))
  }

  func confusionFigure(_ m: DetectionReport.ConfusionMatrix) -> Figure {
    let side = Double(max(m.labels.count, 1))
    let chart = Chart(
      title:
        "Confusion matrix (IoU \(TickFormatter.compact(m.iouThreshold)), confidence ≥ \(TickFormatter.compact(m.confidence)))",
      width: min(max(420, 46 * side + 200), 960), height: min(max(380, 46 * side + 170), 900),
      xAxis: Axis(label: "predicted"), yAxis: Axis(label: "true"),
      content: .heatmap(
        Heatmap(rowLabels: m.labels, columnLabels: m.labels, values: m.counts.map { $0.map(Double.init) })))
    return Figure(id: "detection-confusion", chart: chart)
  }
}
