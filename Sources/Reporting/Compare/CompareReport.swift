import Charts
import Foundation
import RunFormat

/// A side-by-side comparison of two runs: settings diff, KPI diff and overlaid curves.
public struct CompareReport: Sendable {
  /// The baseline run (A).
  public var a: RunReport
  /// The compared run (B).
  public var b: RunReport
  /// Links from the comparison to each run's report (relative to the output folder), if known.
  public var reportLinks: (a: String, b: String)?

  /// Compares two loaded runs.
  public init(a: RunReport, b: RunReport, reportLinks: (a: String, b: String)? = nil) {
    self.a = a
    self.b = b
    self.reportLinks = reportLinks
  }

  /// Reads both run folders and writes `compare.html`, `compare.md` and `figures/` into `to`.
  ///
  /// - Throws: ``ReportError`` naming a missing or malformed file of either run, or an output
  ///   file that cannot be written.
  @discardableResult
  public static func write(a: URL, b: URL, to directory: URL) throws -> CompareReport {
    let links = (
      RelativePath.from(directory, to: a.appendingPathComponent("report.html")),
      RelativePath.from(directory, to: b.appendingPathComponent("report.html"))
    )
    let report = CompareReport(a: try RunReport.load(from: a), b: try RunReport.load(from: b), reportLinks: links)
    try ReportFiles.write(report.document(), to: directory, stem: "compare")
    return report
  }

  /// Labels for the legend and the table headings: `A: <run>` and `B: <run>`.
  var labelA: String { "A: \(a.runId)" }
  var labelB: String { "B: \(b.runId)" }

  /// Settings that differ, as (dotted path, value in A, value in B); absent values are "–".
  public var settingsDiff: [(path: String, a: String, b: String)] {
    let left = Dictionary(a.experiment.flattened().map { ($0.path, $0.value) }, uniquingKeysWith: { x, _ in x })
    let right = Dictionary(b.experiment.flattened().map { ($0.path, $0.value) }, uniquingKeysWith: { x, _ in x })
    return Set(left.keys).union(right.keys).sorted().compactMap { path in
      let x = left[path]
      let y = right[path]
      return x == y ? nil : (path, x ?? "–", y ?? "–")
    }
  }

  /// KPIs of both runs as (variant, metric, A, B); a KPI recorded in only one run has `nil`
  /// on the other side.
  public var kpiDiff: [(variant: String, metric: String, a: Double?, b: Double?)] {
    let variants = (a.metrics?.variants.map(\.name) ?? []) + (b.metrics?.variants.map(\.name) ?? [])
    var seen: [String] = []
    for v in variants where !seen.contains(v) { seen.append(v) }
    let names = RunMetrics.ordered(Set((a.metrics?.metricNames ?? []) + (b.metrics?.metricNames ?? [])))
    return seen.flatMap { variant in
      names.compactMap { name in
        let x = a.metrics?.value(name, variant: variant)
        let y = b.metrics?.value(name, variant: variant)
        return x == nil && y == nil ? nil : (variant, name, x, y)
      }
    }
  }
}
