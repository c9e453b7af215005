/// The KPI table: one row per metric, one column per variant, and each metric's definition.
extension RunReport {
  func kpiSection() -> ReportSection? {
    guard let metrics, !metrics.variants.isEmpty else { return nil }
    let variants = metrics.variants.map(\.name)
    let rows: [[Inline]] = metrics.metricNames.map { name in
      [.code(name)] + variants.map { .text(Format.metric(metrics.value(name, variant: $0))) }
        + [.text(metrics.definitions[name] ?? fallbackDefinition(name))]
    }
    let table = ReportTable(
      headers: ["metric"] + variants + ["definition"], rows: rows,
      numericColumns: Set(1...variants.count))
    return ReportSection(id: "kpis", title: "Key results", blocks: [.table(table)])
  }

  /// A definition from the evaluation reports when `metrics.json` gives none.
  func fallbackDefinition(_ name: String) -> String {
    if let d = detection, name.hasPrefix("map") { return "AP definition \(d.definition.rawValue)" }
    if let v = verification, ["accuracy", "auc", "eer"].contains(name) {
      return "LFW View 2, \(v.folds)-fold, \(v.metric.rawValue) distance"
    }
    return ""
  }
}
