import Foundation
import Support

/// ASHA in a sweep: ``AshaScheduler`` over the sweep's trials (random draws), each rung job the
/// trial's experiment with `train.stop_after_epochs` set to the rung's epochs (the top rung is
/// the full run). Rows in `trials.json` keep every rung's objectives; a trial whose last rung is
/// below the top is `stopped`.
final class AshaSearch: AdaptiveSearch {
  let spec: SweepSpec
  let trials: [SweepTrial]
  let raw: JSONValue
  let state: SweepState
  var scheduler: AshaScheduler
  let progress: (String) -> Void

  init(spec: SweepSpec, trials: [SweepTrial], raw: JSONValue, state: SweepState, progress: @escaping (String) -> Void)
    throws
  {
    guard let asha = spec.asha, let first = spec.objectives.first else {
      throw StageError.failed("internal: an ASHA sweep without its asha section or an objective")
    }
    self.spec = spec
    self.trials = trials
    self.raw = raw
    self.state = state
    self.progress = progress
    scheduler = AshaScheduler(
      minEpochs: asha.minEpochs, maxEpochs: asha.maxEpochs, eta: asha.eta, direction: first.direction,
      maxTrials: max(1, trials.count))
  }

  var top: Int { scheduler.rungEpochs.count - 1 }

  func next() -> SweepJob? {
    guard !trials.isEmpty, let job = scheduler.next() else { return nil }
    let (trial, rung): (Int, Int)
    switch job {
    case .start(let t, _): (trial, rung) = (t, 0)
    case .promote(let t, let r, _): (trial, rung) = (t, r)
    }
    let epochs = scheduler.rungEpochs[rung]
    var t = trials[trial]
    if epochs < spec.asha?.maxEpochs ?? epochs {
      // the rung's budget: the trial id (a hash without it) and the schedule stay the trial's
      let overrides = t.overrides + ["train.stop_after_epochs=\(epochs)"]
      if let e = try? ExperimentLoader.resolve(raw, file: spec.base, overrides: overrides + ["name=\(t.id)"]) {
        t.overrides = overrides
        t.experiment = e
      }
    }
    let how = rung == 0 ? "starts" : "promoted to rung \(rung)"
    progress("trial \(trial + 1)/\(trials.count) \(t.id) \(how) (\(epochs) epochs): \(t.label)")
    return SweepJob(position: trial, trial: t, rung: rung)
  }

  func finished(_ job: SweepJob, _ record: SweepResults.Trial) {
    guard let rung = job.rung else { return }
    let epochs = scheduler.rungEpochs[rung]
    let value = record.status == "succeeded" ? spec.objectives.first.flatMap { record.objectives[$0.metric] } : nil
    scheduler.report(trial: job.position, rung: rung, value: value ?? .nan)
    let top = self.top
    state.change { results in
      var row = results.trials[job.position]
      var rungs = (row.rungs ?? []).filter { $0.epochs != epochs }
      rungs.append(
        .init(
          epochs: epochs, status: record.status, objectives: record.objectives, runFolder: record.runFolder,
          reused: record.reused))
      row = record
      row.rungs = rungs.sorted { $0.epochs < $1.epochs }
      row.epochs = epochs
      row.reused = rungs.allSatisfy(\.reused)
      if record.status == "succeeded" && rung < top { row.status = "stopped" }
      results.trials[job.position] = row
    }
    let shown = value.map { String(format: "%.4f", $0) } ?? "—"
    progress(
      "trial \(job.position + 1)/\(trials.count) \(job.trial.id) rung \(rung) (\(epochs) epochs): \(record.status)"
        + "\(record.reused ? " (re-used)" : ""), \(spec.objectives.first?.metric ?? "objective") \(shown)")
  }
}
