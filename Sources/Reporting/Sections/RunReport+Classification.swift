import Charts
import Metrics

/// The classification section: accuracy, averages, per-class scores and the confusion matrix.
extension RunReport {
  func classificationSection() -> ReportSection? {
    guard let c = classification else { return nil }
    var facts: [(String, Inline)] = [
      ("Samples", .text(Format.count(c.samples))),
      ("Accuracy", .strong(Format.metric(c.accuracy))),
    ]
    for k in c.topK { facts.append(("Top-\(k.k) accuracy", .text(Format.metric(k.accuracy)))) }
    facts.append(("Macro F1 / weighted F1", .text("\(Format.metric(c.macro.f1)) / \(Format.metric(c.weighted.f1))")))
    if let map = c.meanAveragePrecision { facts.append(("Mean AP (one-vs-rest)", .text(Format.metric(map)))) }
    let rows: [[Inline]] = c.perClass.map { p in
      [.text(p.name), .text(Format.count(p.support)), .text(Format.metric(p.precision)), .text(Format.metric(p.recall)), .text(Format.metric(p.f1))]
    }
    let table = ReportTable(headers: ["class", "support", "precision", "recall", "F1"], rows: rows, numericColumns: [1, 2, 3, 4], sortable: true)
    let side = Double(max(c.classNames.count, 1))
    let chart = Chart(
      title: "Confusion matrix", width: min(max(420, 46 * side + 200), 960), height: min(max(380, 46 * side + 170), 900),
      xAxis: Axis(label: "predicted"), yAxis: Axis(label: "true"),
      content: .heatmap(Heatmap(rowLabels: c.classNames, columnLabels: c.classNames, values: c.confusionMatrix.map { $0.map(Double.init) }, normalizesRows: true)))
    return ReportSection(
      id: "classification", title: "Classification",
      blocks: [.table(.keyValues(facts)), .table(table), .figure(Figure(id: "classification-confusion", chart: chart))])
  }
}
