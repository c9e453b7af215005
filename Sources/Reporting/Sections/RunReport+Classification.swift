import Charts
import Metrics

/// The classification section: top-1/top-k accuracy, averages, calibration (ECE), per-class
/// scores, the confusion matrix and the reliability diagram.
extension RunReport {
  func classificationSection() -> ReportSection? {
    guard let c = classification else { return nil }
    var facts: [(String, Inline)] = [
      ("Samples / classes", .text("\(Format.count(c.samples)) / \(c.classNames.count)")),
      ("Accuracy (top-1)", .strong(Format.metric(c.accuracy))),
    ]
    for k in c.topK where k.k != 1 { facts.append(("Top-\(k.k) accuracy", .text(Format.metric(k.accuracy)))) }
    facts.append(
      (
        "Macro P / R / F1",
        .text("\(Format.metric(c.macro.precision)) / \(Format.metric(c.macro.recall)) / \(Format.metric(c.macro.f1))")
      ))
    facts.append(("Weighted F1", .text(Format.metric(c.weighted.f1))))
    if let map = c.meanAveragePrecision { facts.append(("Mean AP (one-vs-rest)", .text(Format.metric(map)))) }
    if let r = c.calibration {
      facts.append(
        (
          "Calibration",
          .text(
            "ECE \(Format.metric(r.expectedCalibrationError)), MCE \(Format.metric(r.maximumCalibrationError)), mean confidence \(Format.metric(r.meanConfidence)) (\(r.bins.count) bins)"
          )
        ))
    }
    let hasAP = c.perClass.contains { $0.curve != nil }
    let rows: [[Inline]] = c.perClass.map { p in
      [
        .text(p.name), .text(Format.count(p.support)), .text(Format.count(p.predicted)),
        .text(Format.metric(p.precision)),
        .text(Format.metric(p.recall)), .text(Format.metric(p.f1)),
      ] + (hasAP ? [.text(Format.metric(p.curve?.averagePrecision))] : [])
    }
    let table = ReportTable(
      headers: ["class", "support", "predicted", "precision", "recall", "F1"] + (hasAP ? ["AP"] : []), rows: rows,
      numericColumns: Set(1...(hasAP ? 6 : 5)), sortable: true)
    let side = Double(max(c.classNames.count, 1))
    let chart = Chart(
      title: "Confusion matrix", width: min(max(420, 46 * side + 200), 960),
      height: min(max(380, 46 * side + 170), 900),
      xAxis: Axis(label: "predicted"), yAxis: Axis(label: "true"),
      content: .heatmap(
        Heatmap(
          rowLabels: c.classNames, columnLabels: c.classNames, values: c.confusionMatrix.map { $0.map(Double.init) },
          normalizesRows: true)))
    var figures = [Figure(id: "classification-confusion", chart: chart)]
    if let r = c.calibration { figures.append(reliabilityFigure(r)) }
    return ReportSection(
      id: "classification", title: "Classification",
      blocks: [.table(.keyValues(facts)), .figureRow(figures), .table(table)])
  }

  /// Accuracy against mean confidence per non-empty bin (Guo et al. 2017, Fig. 1): points on the
  /// diagonal are calibrated, below it overconfident.
  func reliabilityFigure(_ r: ReliabilityCurve) -> Figure {
    let used = r.bins.filter { $0.count > 0 }
    let chart = Chart(
      title: "Reliability (ECE \(Format.metric(r.expectedCalibrationError)))",
      xAxis: .unit("confidence (top softmax probability)"),
      yAxis: .unit("accuracy"),
      content: .xy([
        Series(name: "accuracy per confidence bin", x: used.map(\.confidence), y: used.map(\.accuracy)),
        Series(name: "bins", x: used.map(\.confidence), y: used.map(\.accuracy), style: .scatter, colorIndex: 0),
        Series(name: "perfect calibration", x: [0, 1], y: [0, 1], colorIndex: 6, dashed: true),
      ]), showsLegend: true)
    return Figure(id: "classification-reliability", chart: chart)
  }
}
