import Charts
import Foundation
import Support

/// `report.html` of a sweep: the best trial per objective, the Pareto front of the first two
/// objectives, the parallel coordinates of all trials, the hyperparameter importance with each
/// parameter's marginal plots, and the trials table (sortable by clicking any column header),
/// each trial linked to its own report. Self-contained: charts are inline SVG.
public enum SweepReportHTML {
  public static func render(_ r: SweepResults) -> String {
    let importance = SweepImportance.compute(r)
    let figures = SweepReportFigures.all(r, importance: importance)
    let settings = r.parameterPaths
    var body = "<h1>Sweep \(esc(r.sweep)) <small>\(esc(r.sweepId))</small></h1>\n"
    body += "<p>Base experiment <code>\(esc(r.base))</code>, \(esc(r.search)) search, \(r.trials.count) trials"
    body += " (\(esc(SweepProgress(r).countsText))). "
    body += "Objectives: " + r.objectives.map { "\(esc($0.metric)) (\($0.direction.rawValue))" }.joined(separator: ", ")
    body += r.constraints.isEmpty ? ".</p>\n" : "; constraints: \(esc(r.constraints.joined(separator: ", "))).</p>\n"
    if !r.best.isEmpty {
      body += "<h2>Best trial per objective</h2>\n<ul>\n"
      for o in r.objectives {
        guard let id = r.best[o.metric], let t = r.trials.first(where: { $0.id == id }) else { continue }
        body +=
          "<li>\(esc(o.metric)) (\(o.direction.rawValue)): \(link(t)) — \(SweepTable.fmt(t.objectives[o.metric]))</li>\n"
      }
      body += "</ul>\n"
    }
    if let f = figures.pareto { body += "<h2>Pareto front</h2>\n" + figure(f) }
    if let f = figures.parallel {
      body += "<h2>Parallel coordinates</h2>\n" + figure(f)
      body += "<p class=\"note\">One line per succeeded trial; the highlighted lines are the Pareto front. "
      body += "Objectives to minimise are drawn upside down, so better is up on every objective axis.</p>\n"
    }
    if let imp = importance { body += importanceSection(imp, r, figures) }
    body += "<h2>Trials</h2>\n<p>Click a column header to sort. ★ marks the Pareto front.</p>\n"
    body += "<table class=\"sortable\" id=\"trials\"><thead><tr>"
    let header = ["trial", "status"] + settings + r.objectives.map(\.metric) + ["Pareto"]
    body += header.map { "<th>\(esc($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for t in r.trials {
      var cells = [link(t), esc(t.status + (t.failedStage.map { " (\($0))" } ?? ""))]
      cells += settings.map { esc(t.settings[$0]?.canonical ?? "") }
      cells += r.objectives.map { SweepTable.fmt(t.objectives[$0.metric]) }
      cells.append(r.pareto.contains(t.id) ? "★" : "")
      body += "<tr>" + cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
    }
    body += "</tbody></table>\n"
    return page(title: "Sweep \(esc(r.sweep))", body: body)
  }

  /// The importance method, bar chart, share table and the marginal plots of each parameter.
  static func importanceSection(_ imp: SweepImportance, _ r: SweepResults, _ figures: SweepReportFigures.Page)
    -> String
  {
    var s = "<h2>Hyperparameter importance</h2>\n<p>\(esc(imp.methodSentence))</p>\n"
    if let f = figures.importance { s += figure(f) }
    s += "<table class=\"sortable\" id=\"importance\"><thead><tr><th>parameter</th>"
    s += r.objectives.map { "<th>\(esc($0.metric)) share</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for p in imp.parameters {
      s += "<tr><td><code>\(esc(p.path))</code></td>"
      s += r.objectives.map { o in percentCell(p.shares[o.metric] ?? nil) }.joined() + "</tr>\n"
    }
    s += "</tbody><tfoot><tr><td>interactions and noise</td>"
    s += r.objectives.map { o in percentCell((imp.explained[o.metric] ?? nil).map { 1 - $0 }) }.joined()
    s += "</tr></tfoot></table>\n"
    s += "<h3>Marginals</h3>\n<p class=\"note\">Each trial's objective against one parameter; the line joins "
    s += "the mean at each level (each value of a list, or each bin of a range).</p>\n<div class=\"grid\">\n"
    s += figures.marginals.map { figure($0) }.joined() + "</div>\n"
    return s
  }

  /// A share as a percentage cell, sortable by its value.
  static func percentCell(_ v: Double?) -> String {
    "<td data-v=\"\(v.map { "\($0)" } ?? "")\">\(SweepImportance.percent(v))</td>"
  }

  static func figure(_ f: SweepReportFigures.Figure) -> String {
    "<figure id=\"fig-\(esc(f.id))\">\(SVGRenderer.render(ChartLayout.layout(f.chart)))</figure>\n"
  }

  /// The page around `body`, with the table-sorting script: numbers (a cell's `data-v`, else its
  /// text) sort numerically and before text.
  static func page(title: String, body: String) -> String {
    """
    <!doctype html>
    <html lang="en"><head><meta charset="utf-8"><title>\(title)</title>
    <style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:2em;max-width:80em}
    table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
    th{cursor:pointer;background:#f3f3f3}tfoot td{color:#555}small{color:#777;font-weight:normal}
    figure{margin:.5em 0}svg{max-width:100%;height:auto}.grid{display:flex;flex-wrap:wrap;gap:.5em}
    .grid figure{margin:0}.note{color:#555;font-size:.9em}</style></head>
    <body>
    \(body)<script>
    document.querySelectorAll('table.sortable').forEach(table => table.querySelectorAll('thead th').forEach((th, i) =>
      th.addEventListener('click', () => {
        const tbody = table.tBodies[0], rows = Array.from(tbody.rows);
        const asc = th.dataset.asc !== '1'; th.dataset.asc = asc ? '1' : '0';
        const key = r => {
          const c = r.cells[i], s = (c.dataset.v !== undefined ? c.dataset.v : c.innerText).trim();
          const n = s === '' ? NaN : Number(s);
          return isNaN(n) ? [1, s] : [0, n];
        };
        rows.sort((a, b) => {
          const x = key(a), y = key(b);
          return (x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0)) * (asc ? 1 : -1);
        });
        rows.forEach(r => tbody.appendChild(r));
      })));
    </script>
    </body></html>

    """
  }

  static func link(_ t: SweepResults.Trial) -> String {
    t.runFolder.map { "<a href=\"\(esc($0))/report.html\"><code>\(esc(t.id))</code></a>" }
      ?? "<code>\(esc(t.id))</code>"
  }

  static func esc(_ s: String) -> String { SVGRenderer.escape(s) }
}
