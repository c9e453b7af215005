import Foundation
import Support

/// TPE in a sweep: trial `i` is ``TPESampler``'s proposal from the trials finished when a
/// worker asks for it (with one worker: every earlier trial, so the sweep is reproducible from
/// its seed; with several, a proposal sees only the finished ones). A proposal that resolves to
/// a trial already in the sweep is drawn again; one that is not a valid experiment is skipped
/// with a progress line (the space's paths were checked on the start-up trials already).
final class TPESearch: AdaptiveSearch {
  let spec: SweepSpec
  let raw: JSONValue
  let state: SweepState
  let sampler: TPESampler
  /// Trials to propose in all.
  let budget: Int
  let progress: (String) -> Void
  var proposed = 0
  var seen = Set<String>()
  var observations: [TPESampler.Observation] = []

  init(spec: SweepSpec, raw: JSONValue, budget: Int, state: SweepState, progress: @escaping (String) -> Void) {
    self.spec = spec
    self.raw = raw
    self.state = state
    self.budget = budget
    self.progress = progress
    sampler = TPESampler(spec)
  }

  func next() -> SweepJob? {
    while proposed < budget {
      let index = proposed
      proposed += 1
      var trial: SweepTrial? = nil
      var problem: String? = nil
      for attempt in 0..<20 {
        let point = sampler.propose(index: index, attempt: attempt, observations: observations)
        do {
          let t = try SweepTrials.trial(spec, raw: raw, index: index, point: point)
          if seen.insert(t.id).inserted {
            trial = t
            break
          }
        } catch {
          problem = "the proposed point is not a valid experiment: \(error)"
          break
        }
      }
      guard let t = trial else {
        if let problem { progress("trial \(index + 1)/\(budget): \(problem)") }
        continue
      }
      let position = state.change { results -> Int in
        results.trials.append(SweepRunner.record(t, in: nil, spec: spec, status: "running"))
        return results.trials.count - 1
      }
      progress(
        "trial \(index + 1)/\(budget) \(t.id)\(index < spec.tpe.startupTrials ? " (random start-up)" : ""): \(t.label)")
      return SweepJob(position: position, trial: t, rung: nil)
    }
    return nil
  }

  func finished(_ job: SweepJob, _ record: SweepResults.Trial) {
    let value = record.status == "succeeded" ? spec.objectives.first.flatMap { record.objectives[$0.metric] } : nil
    observations.append(.init(point: job.trial.values.map(\.value), value: value ?? .nan))
    state.change { $0.trials[job.position] = record }
    let shown = value.map { String(format: "%.4f", $0) } ?? "—"
    progress(
      "trial \(job.trial.index + 1)/\(budget) \(job.trial.id): \(record.status)\(record.reused ? " (re-used)" : ""), "
        + "\(spec.objectives.first?.metric ?? "objective") \(shown)")
  }
}
