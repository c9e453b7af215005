import Foundation

/// `rungs.csv` of an ASHA sweep: one row per trial and rung it ran, so the partial history of
/// stopped trials (each rung's objectives) is in a table next to `trials.csv`.
public enum SweepRungs {
  /// Columns: trial, rung (0 = lowest), epochs, status, each objective, run folder.
  public static func csv(_ r: SweepResults) -> String {
    let rungEpochs = r.rungEpochs ?? []
    var rows = [["trial", "rung", "epochs", "status"] + r.objectives.map(\.metric) + ["run_folder"]]
    for t in r.trials {
      for g in t.rungs ?? [] {
        rows.append(
          [t.id, rungEpochs.firstIndex(of: g.epochs).map(String.init) ?? "", String(g.epochs), g.status]
            + r.objectives.map { g.objectives[$0.metric].map { "\($0)" } ?? "" } + [g.runFolder ?? ""])
      }
    }
    return rows.map { $0.map(SweepTable.field).joined(separator: ",") }.joined(separator: "\n") + "\n"
  }
}
