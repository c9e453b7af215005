import Charts
import Foundation
import Support

/// `report.html` of a sweep: the trials table (sortable by clicking any column header), each
/// trial linked to its own report, the best trial per objective and, with two or more
/// objectives, a scatter of the first two with the Pareto front drawn.
public enum SweepReportHTML {
  public static func render(_ r: SweepResults) -> String {
    let settings = Array(Set(r.trials.flatMap(\.settings.keys))).sorted()
    var body = "<h1>Sweep \(esc(r.sweep)) <small>\(esc(r.sweepId))</small></h1>\n"
    body += "<p>Base experiment <code>\(esc(r.base))</code>, \(esc(r.search)) search, \(r.trials.count) trials. "
    body += "Objectives: " + r.objectives.map { "\(esc($0.metric)) (\($0.direction.rawValue))" }.joined(separator: ", ")
    body += r.constraints.isEmpty ? ".</p>\n" : "; constraints: \(esc(r.constraints.joined(separator: ", "))).</p>\n"
    if let chart = paretoChart(r) { body += "<figure>\(SVGRenderer.render(ChartLayout.layout(chart)))</figure>\n" }
    if !r.best.isEmpty {
      body += "<h2>Best trial per objective</h2>\n<ul>\n"
      for o in r.objectives {
        guard let id = r.best[o.metric], let t = r.trials.first(where: { $0.id == id }) else { continue }
        body +=
          "<li>\(esc(o.metric)) (\(o.direction.rawValue)): \(link(t)) — \(SweepTable.fmt(t.objectives[o.metric]))</li>\n"
      }
      body += "</ul>\n"
    }
    body += "<h2>Trials</h2>\n<p>Click a column header to sort. ★ marks the Pareto front.</p>\n"
    body += "<table id=\"trials\"><thead><tr>"
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
    return """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>Sweep \(esc(r.sweep))</title>
      <style>body{font-family:DejaVu Sans,Helvetica,Arial,sans-serif;margin:2em;max-width:72em}
      table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left}
      th{cursor:pointer;background:#f3f3f3}small{color:#777;font-weight:normal}</style></head>
      <body>
      \(body)<script>
      document.querySelectorAll('#trials th').forEach((th, i) => th.addEventListener('click', () => {
        const tbody = th.closest('table').tBodies[0], rows = Array.from(tbody.rows);
        const asc = th.dataset.asc !== '1'; th.dataset.asc = asc ? '1' : '0';
        const key = r => { const s = r.cells[i].innerText.trim(), n = parseFloat(s); return isNaN(n) ? s : n; };
        rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1); });
        rows.forEach(r => tbody.appendChild(r));
      }));
      </script>
      </body></html>

      """
  }

  /// The first two objectives of the succeeded trials as a scatter, with the front of those two
  /// objectives drawn as a line through its points.
  static func paretoChart(_ r: SweepResults) -> Chart? {
    guard r.objectives.count >= 2 else { return nil }
    let (a, b) = (r.objectives[0], r.objectives[1])
    let done = r.trials.filter {
      $0.status == "succeeded" && $0.objectives[a.metric]?.isFinite == true && $0.objectives[b.metric]?.isFinite == true
    }
    guard !done.isEmpty else { return nil }
    let x = done.map { $0.objectives[a.metric] ?? 0 }, y = done.map { $0.objectives[b.metric] ?? 0 }
    let feasible = done.indices.filter { done[$0].feasible }
    let front = Pareto.front(feasible.map { [x[$0], y[$0]] }, directions: [a.direction, b.direction])
      .map { feasible[$0] }.sorted { x[$0] < x[$1] }
    return Chart(
      title: "Pareto front: \(a.metric) (\(a.direction.rawValue)) vs \(b.metric) (\(b.direction.rawValue))",
      width: 640, height: 400, xAxis: Axis(label: a.metric), yAxis: Axis(label: b.metric),
      content: .xy([
        Series(name: "trials", x: x, y: y, style: .scatter, colorIndex: 0),
        Series(name: "Pareto front", x: front.map { x[$0] }, y: front.map { y[$0] }, style: .line, colorIndex: 1),
      ]), showsLegend: true)
  }

  static func link(_ t: SweepResults.Trial) -> String {
    t.runFolder.map { "<a href=\"\(esc($0))/report.html\"><code>\(esc(t.id))</code></a>" }
      ?? "<code>\(esc(t.id))</code>"
  }

  static func esc(_ s: String) -> String { SVGRenderer.escape(s) }
}
