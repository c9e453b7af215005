import Foundation
import Support

/// `trials.csv` and the Markdown sweep report, from ``SweepResults``.
public enum SweepTable {
  /// The columns: id, status, each setting, each objective, feasible, Pareto, run folder, error.
  public static func csv(_ r: SweepResults) -> String {
    let settings = Array(Set(r.trials.flatMap(\.settings.keys))).sorted()
    var rows = [
      ["trial", "status"] + settings + r.objectives.map(\.metric) + [
        "feasible", "pareto", "run_folder", "failed_stage", "error",
      ]
    ]
    for t in r.trials {
      rows.append(
        [t.id, t.status] + settings.map { t.settings[$0]?.canonical ?? "" }
          + r.objectives.map { t.objectives[$0.metric].map { "\($0)" } ?? "" }
          + [
            t.feasible ? "true" : "false", r.pareto.contains(t.id) ? "true" : "false", t.runFolder ?? "",
            t.failedStage ?? "", t.error ?? "",
          ])
    }
    return rows.map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }

  /// A CSV field, quoted when it holds a comma, quote or line break.
  static func field(_ s: String) -> String {
    guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
    return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// The sweep report: objectives, best trial per objective, the Pareto front and every trial.
  public static func markdown(_ r: SweepResults) -> String {
    let settings = r.parameterPaths
    var out = "# Sweep \(r.sweep) (\(r.sweepId))\n\n"
    out += "Base experiment `\(r.base)`, \(r.search) search, \(r.trials.count) trials: "
    out += SweepProgress(r).countsText + ".\n\n"
    out += "Objectives: " + r.objectives.map { "\($0.metric) (\($0.direction.rawValue))" }.joined(separator: ", ")
    out += r.constraints.isEmpty ? ".\n\n" : "; constraints: \(r.constraints.joined(separator: ", ")).\n\n"
    if !r.best.isEmpty {
      out += "## Best trial per objective\n\n"
      for o in r.objectives {
        guard let id = r.best[o.metric], let t = r.trials.first(where: { $0.id == id }) else { continue }
        out += "- \(o.metric) (\(o.direction.rawValue)): \(link(t)) — \(fmt(t.objectives[o.metric]))\n"
      }
      out += "\n"
    }
    out += figuresMarkdown(r)
    out += "## Trials\n\nPareto-optimal trials are marked ★.\n\n"
    let header = ["trial", "status"] + settings + r.objectives.map(\.metric) + ["Pareto"]
    out += "| " + header.joined(separator: " | ") + " |\n|" + String(repeating: " --- |", count: header.count) + "\n"
    for t in r.trials {
      let cells =
        [link(t), t.status + (t.failedStage.map { " (\($0))" } ?? "")]
        + settings.map { t.settings[$0]?.canonical ?? "" }
        + r.objectives.map { fmt(t.objectives[$0.metric]) } + [r.pareto.contains(t.id) ? "★" : ""]
      out += "| " + cells.joined(separator: " | ") + " |\n"
    }
    return out
  }

  static func link(_ t: SweepResults.Trial) -> String {
    t.runFolder.map { "[`\(t.id)`](\($0)/report.md)" } ?? "`\(t.id)`"
  }

  static func fmt(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "—" }
}
