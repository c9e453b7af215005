import Foundation

/// The figures and importance table of the Markdown sweep report.
extension SweepTable {
  /// The Pareto, parallel-coordinates, importance and marginal figures (PNG files under
  /// `figures/`, written by ``SweepReportFigures/write(_:to:)``) and the importance table.
  static func figuresMarkdown(_ r: SweepResults) -> String {
    let importance = SweepImportance.compute(r)
    let page = SweepReportFigures.all(r, importance: importance)
    func image(_ f: SweepReportFigures.Figure?) -> String {
      f.map { "![\($0.chart.title)](figures/\($0.id).png)\n\n" } ?? ""
    }
    var out = ""
    if page.pareto != nil { out += "## Pareto front\n\n" + image(page.pareto) }
    if page.parallel != nil {
      out += "## Parallel coordinates\n\n" + image(page.parallel)
      out += "One line per succeeded trial, the Pareto front highlighted; objectives to minimise are drawn "
      out += "upside down, so better is up on every objective axis.\n\n"
    }
    guard let imp = importance else { return out }
    out += "## Hyperparameter importance\n\n\(imp.methodSentence)\n\n" + image(page.importance)
    out += "| parameter | " + r.objectives.map { "\($0.metric) share" }.joined(separator: " | ") + " |\n"
    out += "| --- |" + String(repeating: " ---: |", count: r.objectives.count) + "\n"
    let percent = SweepImportance.percent
    for p in imp.parameters {
      out +=
        "| `\(p.path)` | " + r.objectives.map { percent(p.shares[$0.metric] ?? nil) }.joined(separator: " | ") + " |\n"
    }
    out += "| interactions and noise | "
    out += r.objectives.map { o in percent((imp.explained[o.metric] ?? nil).map { 1 - $0 }) }.joined(separator: " | ")
    out += " |\n\n### Marginals\n\n"
    out += page.marginals.map { "![\($0.chart.title)](figures/\($0.id).png)" }.joined(separator: "\n") + "\n\n"
    return out
  }
}
