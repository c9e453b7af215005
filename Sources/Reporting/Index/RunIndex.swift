import Foundation
import RunFormat

/// The list of every run under a reports root (`Reports/index.html` and `Reports/index.md`).
public struct RunIndex: Sendable {
  /// One listed run.
  public struct Entry: Sendable {
    /// The run folder, relative to the reports root (`<experiment>/<run-id>`).
    public var path: String
    /// The run's headline data, or `nil` when it could not be read.
    public var report: RunReport?
    /// Why the run could not be read.
    public var problem: String?
  }

  /// Runs, by experiment name and then newest first.
  public var entries: [Entry]

  /// Scans `reportsRoot/*/*/manifest.json`. Runs whose files are malformed are listed with
  /// the problem instead of failing the whole index.
  public init(reportsRoot: URL) {
    let fm = FileManager.default
    var entries: [Entry] = []
    let experiments = (try? fm.contentsOfDirectory(atPath: reportsRoot.path)) ?? []
    for experiment in experiments.sorted() where !experiment.hasPrefix(".") {
      let experimentURL = reportsRoot.appendingPathComponent(experiment)
      let runs = (try? fm.contentsOfDirectory(atPath: experimentURL.path)) ?? []
      for run in runs.sorted() where !run.hasPrefix(".") {
        let runURL = experimentURL.appendingPathComponent(run)
        // `latest` is the runner's symbolic link to the newest run; list each run once.
        let type = (try? fm.attributesOfItem(atPath: runURL.path))?[.type] as? FileAttributeType
        guard type != .typeSymbolicLink else { continue }
        guard fm.fileExists(atPath: runURL.appendingPathComponent(RunFolder.File.manifest).path) else { continue }
        let path = "\(experiment)/\(run)"
        do {
          entries.append(Entry(path: path, report: try RunReport.loadHeadline(from: runURL), problem: nil))
        } catch {
          entries.append(Entry(path: path, report: nil, problem: "\(error)"))
        }
      }
    }
    self.entries = entries.sorted { a, b in
      let ea = a.path.split(separator: "/").first ?? ""
      let eb = b.path.split(separator: "/").first ?? ""
      if ea != eb { return ea < eb }
      let ca = a.report?.manifest.created ?? ""
      let cb = b.report?.manifest.created ?? ""
      return ca != cb ? ca > cb : a.path > b.path
    }
  }

  /// Writes `index.html` and `index.md` into `reportsRoot` and returns the index.
  ///
  /// - Throws: ``ReportError/writeFailed(path:reason:)``.
  @discardableResult
  public static func write(reportsRoot: URL) throws -> RunIndex {
    let index = RunIndex(reportsRoot: reportsRoot)
    try ReportFiles.write(index.document(), to: reportsRoot, stem: "index")
    return index
  }

  /// The KPIs shown as columns: the first five, in the KPI table's order, of all runs.
  var kpiColumns: [String] {
    let names = Set(entries.flatMap { $0.report?.metrics?.metricNames ?? [] })
    return Array(RunMetrics.ordered(names).prefix(5))
  }

  /// The index as a document: one table of runs, and the runs that could not be read.
  public func document() -> ReportDocument {
    let kpis = kpiColumns
    let rows: [[Inline]] = entries.compactMap { entry in
      guard let r = entry.report else { return nil }
      let gates = r.manifest.gates
      let failedGates = gates.filter { !$0.passed }.count
      let gateCell: Inline =
        gates.isEmpty ? .text("–") : .badge("\(gates.count - failedGates)/\(gates.count)", ok: failedGates == 0)
      return [
        .text(r.experimentName), .link(r.runId, href: "\(entry.path)/report.html"), .text(r.manifest.created ?? "–"),
        .badge(r.status, ok: r.status == "succeeded"), gateCell,
      ] + kpis.map { .text(Format.metric(r.metrics?.value($0, variant: "float"))) } + [
        .link("md", href: "\(entry.path)/report.md")
      ]
    }
    let table = ReportTable(
      headers: ["experiment", "run", "created", "status", "gates"] + kpis.map { "\($0) (float)" } + ["markdown"],
      rows: rows,
      numericColumns: Set(5..<(5 + kpis.count)), sortable: true)
    var sections = [
      ReportSection(
        id: "runs", title: "Runs (\(rows.count))",
        blocks: rows.isEmpty
          ? [.paragraph([.text("No runs yet. Start one with `workbench run experiments/<name>.json`.")])]
          : [.table(table)])
    ]
    let problems = entries.filter { $0.problem != nil }
    if !problems.isEmpty {
      sections.append(
        ReportSection(
          id: "unreadable", title: "Runs that could not be read",
          blocks: problems.map { .notice([.code($0.path), .text(": " + ($0.problem ?? ""))], isError: true) }))
    }
    return ReportDocument(title: "Workbench runs", sections: sections)
  }
}
