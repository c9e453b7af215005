import Charts

/// The comparison's presentation.
extension CompareReport {
  /// The comparison document: runs, settings diff, KPI diff, overlaid curves and timings.
  public func document() -> ReportDocument {
    var sections: [ReportSection] = []
    func row(_ name: String, _ f: (RunReport) -> String) -> [Inline] { [.strong(name), .text(f(a)), .text(f(b))] }
    let runs = ReportTable(
      headers: ["", "A", "B"],
      rows: [
        row("experiment") { $0.experimentName }, row("run") { $0.runId }, row("created") { $0.manifest.created ?? "–" },
        row("status") { $0.status }, row("seed") { $0.seed.map(String.init) ?? "–" },
        row("workbench") { $0.manifest.workbenchVersion ?? "–" },
        row("overrides") { $0.overrides.isEmpty ? "none" : $0.overrides.joined(separator: " ") },
      ]
        + (reportLinks.map { [[.strong("report"), .link("report A", href: $0.a), .link("report B", href: $0.b)]] } ?? [])
    )
    sections.append(ReportSection(id: "runs", title: "Runs", blocks: [.table(runs)]))
    let diff = settingsDiff
    sections.append(
      ReportSection(
        id: "settings", title: "Settings diff",
        blocks: diff.isEmpty
          ? [.paragraph([.text("The resolved experiments are identical.")])]
          : [
            .table(
              ReportTable(
                headers: ["setting", "A", "B"], rows: diff.map { [.code($0.path), .code($0.a), .code($0.b)] },
                sortable: true))
          ]))
    let kpis = kpiDiff
    if !kpis.isEmpty {
      let rows: [[Inline]] = kpis.map { k in
        let delta = k.a.flatMap { x in k.b.map { $0 - x } }
        return [
          .text(k.variant), .code(k.metric), .text(Format.metric(k.a)), .text(Format.metric(k.b)),
          .text(Format.delta(delta)),
        ]
      }
      sections.append(
        ReportSection(
          id: "kpis", title: "KPI diff",
          blocks: [
            .table(
              ReportTable(
                headers: ["variant", "metric", "A", "B", "B − A"], rows: rows, numericColumns: [2, 3, 4], sortable: true
              ))
          ]))
    }
    let figures = curveFigures()
    if !figures.isEmpty { sections.append(ReportSection(id: "curves", title: "Curves", blocks: [.figureRow(figures)])) }
    let stages = Array(Set(a.manifest.stages.map(\.name) + b.manifest.stages.map(\.name)))
    if !stages.isEmpty {
      let order = (a.manifest.stages + b.manifest.stages).map(\.name)
      let sorted = stages.sorted { (order.firstIndex(of: $0) ?? 0) < (order.firstIndex(of: $1) ?? 0) }
      func cell(_ r: RunReport, _ name: String) -> Inline {
        guard let s = r.manifest.stages.first(where: { $0.name == name }) else { return .text("–") }
        return .text(Format.seconds(s.wallSeconds) + (s.cacheHit ? " (cache)" : ""))
      }
      sections.append(
        ReportSection(
          id: "stages", title: "Stage wall time",
          blocks: [
            .table(
              ReportTable(
                headers: ["stage", "A", "B"], rows: sorted.map { [.strong($0), cell(a, $0), cell(b, $0)] },
                numericColumns: [1, 2]))
          ]))
    }
    return ReportDocument(
      title: "Compare \(a.runId) and \(b.runId)",
      header: [
        .paragraph([
          .strong("A: "), .text("\(a.experimentName) \(a.runId)  "), .strong("B: "),
          .text("\(b.experimentName) \(b.runId)"),
        ])
      ], sections: sections)
  }

  /// Curves both runs have, overlaid (A in blue, B in vermillion).
  func curveFigures() -> [Figure] {
    var figures: [Figure] = []
    func overlay(_ id: String, _ title: String, _ x: Axis, _ y: Axis, _ f: (RunReport) -> (xs: [Double], ys: [Double])?)
    {
      let sa = f(a)
      let sb = f(b)
      guard sa != nil || sb != nil else { return }
      var series: [Series] = []
      if let sa { series.append(Series(name: labelA, x: sa.xs, y: sa.ys, colorIndex: 0)) }
      if let sb { series.append(Series(name: labelB, x: sb.xs, y: sb.ys, colorIndex: 1, dashed: true)) }
      figures.append(
        Figure(id: id, chart: Chart(title: title, xAxis: x, yAxis: y, content: .xy(series), showsLegend: true)))
    }
    let lossName = a.history?.lossNames.first ?? b.history?.lossNames.first
    if let lossName {
      overlay(
        "compare-loss", "Training \(lossName)", Axis(label: "epoch", integerTicks: true),
        Axis(label: lossName, includesZero: true)
      ) { r in
        r.history.map { h in (h.epochs.map { Double($0.epoch) }, h.epochs.map { $0.train[lossName] ?? .nan }) }
      }
    }
    let valName = a.history?.validationNames.first ?? b.history?.validationNames.first
    if let valName {
      overlay(
        "compare-validation", "Validation \(valName)", Axis(label: "epoch", integerTicks: true), Axis(label: valName)
      ) { r in
        r.history.map { h in (h.epochs.map { Double($0.epoch) }, h.epochs.map { $0.val[valName] ?? .nan }) }
      }
    }
    overlay("compare-f1", "Macro F1 vs confidence", .unit("confidence"), .unit("F1")) { r in
      r.detection.map { ($0.confidenceCurves.confidence, $0.confidenceCurves.f1) }
    }
    overlay("compare-roc", "ROC", .unit("false accept rate"), .unit("true accept rate")) { r in
      r.verification.map { ($0.roc.falseAcceptRate, $0.roc.trueAcceptRate) }
    }
    return figures
  }
}
