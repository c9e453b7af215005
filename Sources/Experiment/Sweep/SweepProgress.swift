import Foundation

/// How far a sweep is: its trials counted as done (succeeded), running, failed (failed or
/// interrupted), infeasible (never trained), stopped (ASHA left them below the top rung) and
/// pending, and the best trial so far per objective, for `workbench sweep status` and the report.
public struct SweepProgress: Sendable, Equatable {
  public var total = 0, done = 0, running = 0, failed = 0, infeasible = 0, stopped = 0, pending = 0

  /// Counts the trials of `r` by status (an unknown status counts as pending).
  public init(_ r: SweepResults) {
    total = r.trials.count
    for t in r.trials {
      switch t.status {
      case "succeeded": done += 1
      case "running": running += 1
      case "failed", "interrupted": failed += 1
      case "infeasible": infeasible += 1
      case "stopped": stopped += 1
      default: pending += 1
      }
    }
  }

  /// Trials that will not run again in this sweep: done, failed, infeasible or stopped.
  public var finished: Int { done + failed + infeasible + stopped }

  /// `3 done, 1 running, 0 failed, 1 infeasible, 5 pending` (and `2 stopped` when ASHA stopped
  /// some).
  public var countsText: String {
    let stoppedText = stopped > 0 ? ", \(stopped) stopped" : ""
    return
      "\(done) done, \(running) running, \(failed) failed, \(infeasible) infeasible\(stoppedText), \(pending) pending"
  }

  /// `progress: 5/10 finished (3 done, …)`.
  public var line: String { "progress: \(finished)/\(total) finished (\(countsText))" }

  /// One line per objective with a best trial so far: its id, value and settings
  /// (`best float.map50 (max): <id> 0.8123  model.width=0.5`).
  public static func bestLines(_ r: SweepResults) -> [String] {
    r.objectives.compactMap { o in
      guard let id = r.best[o.metric], let t = r.trials.first(where: { $0.id == id }) else { return nil }
      let value = t.objectives[o.metric].map { String(format: "%.4f", $0) } ?? "—"
      let settings = t.settings.keys.sorted().map { "\($0)=\(t.settings[$0]?.canonical ?? "")" }
      return "best \(o.metric) (\(o.direction.rawValue)): \(id) \(value)  \(settings.joined(separator: " "))"
    }
  }
}
