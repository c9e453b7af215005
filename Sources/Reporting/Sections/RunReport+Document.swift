/// The run report's presentation: header, then one section per part of the run folder.
extension RunReport {
  /// The report document: header (experiment, run, date, status, gates), KPIs, provenance,
  /// and the data, model, training and evaluation sections whose files exist.
  public func document() -> ReportDocument {
    let sections: [ReportSection?] = [
      kpiSection(), dataSection(), modelSection(), k210Section(), k210TimingSection(), trainingSection(),
      compressionSection(),
      quantizationSection(),
      detectionSection(),
      verificationSection(), classificationSection(), provenanceSection(),
    ]
    return ReportDocument(
      title: "\(experimentName) — run \(runId)", header: headerBlocks(), sections: sections.compactMap { $0 })
  }

  func headerBlocks() -> [Block] {
    let passed = manifest.gates.filter(\.passed).count
    let failed = manifest.gates.count - passed
    var rows: [(String, Inline)] = [
      ("Experiment", .text(experimentName)),
      ("Run", .code(runId)),
      ("Created", .text(manifest.created ?? "–")),
      ("Status", .badge(status, ok: !manifest.failed && status == "succeeded")),
    ]
    if !manifest.gates.isEmpty {
      rows.append(("Gates", .badge("\(passed) passed, \(failed) failed", ok: failed == 0)))
    }
    var blocks: [Block] = [
      .table(.keyValues(rows)),
      .paragraph([
        .link("All runs", href: "../../index.html"), .text(" · "), .link("Markdown", href: "report.md"), .text(" · "),
        .link("summary.json", href: "summary.json"),
      ]),
    ]
    if manifest.failed {
      var message: [Inline] = [.text("Stage ")]
      message.append(.code(manifest.failedStage ?? "unknown"))
      message.append(
        .text(
          " \(status == "interrupted" ? "was interrupted" : "failed"): "
            + (manifest.error ?? "no error message was recorded.")))
      message.append(.text(" Sections of later stages are missing because those stages did not run."))
      blocks.append(.notice(message, isError: true))
    }
    if !manifest.gates.isEmpty {
      blocks.append(
        .table(
          ReportTable(
            headers: ["gate", "condition", "value", "result"],
            rows: manifest.gates.map { g in
              [
                .code(g.metric), .code(g.condition), .text(Format.metric(g.value)),
                .badge(g.passed ? "passed" : "failed", ok: g.passed),
              ]
            }, numericColumns: [2])))
    }
    return blocks
  }
}
