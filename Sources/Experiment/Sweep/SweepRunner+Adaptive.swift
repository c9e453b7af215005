import Foundation
import RunFormat
import Support

extension SweepRunner {
  /// ASHA and TPE: jobs from an ``AdaptiveSearch`` on a ``SweepJobPool`` of `options.jobs`
  /// workers (in this process with one job and no launcher; otherwise each job is one
  /// `workbench run` through the launcher: a child process, or a one-task Slurm array submitted
  /// when a worker frees up). A job whose run already finished in this sweep folder (the same
  /// trial at the same epochs) is re-used without running, so re-running an interrupted sweep
  /// skips finished rungs and trials; an interrupted rung resumes from its training checkpoint.
  func runAdaptive(_ spec: SweepSpec, trials: [SweepTrial], options: Options) throws -> (URL, SweepResults) {
    let dir = try Self.directory(spec, reportsRoot: options.runner.reportsRoot)
    let trialsDir = dir.appendingPathComponent("trials")
    try FileSystem.createFolder(trialsDir, "the sweep's trials folder")
    try AtomicWrite.writeJSON(spec.document, to: dir.appendingPathComponent("sweep.json"))
    let raw = try JSONValue.parse(FileSystem.read(spec.base, "the base experiment"), file: spec.base)
    let asha = spec.search == .asha
    let initial = SweepResults(
      sweep: spec.name, sweepId: dir.lastPathComponent, base: spec.base, search: spec.search.rawValue,
      objectives: spec.objectives.map { .init(metric: $0.metric, direction: $0.direction) },
      constraints: spec.constraints.map { "\($0.metric) \($0.condition)" },
      trials: asha ? trials.map { Self.record($0, in: nil, spec: spec, status: "pending") } : [], pareto: [], best: [:],
      space: SweepResults.SpaceAxis.axes(of: spec))
    let state = SweepState(initial, directory: dir)
    let progress = { (line: String) in options.runner.progress.line(line) }
    let search: AdaptiveSearch
    if asha {
      let a = try AshaSearch(spec: spec, trials: trials, raw: raw, state: state, progress: progress)
      state.change { $0.rungEpochs = a.scheduler.rungEpochs }
      search = a
    } else {
      let budget = min(spec.trials ?? 1, options.maxTrials ?? .max)
      search = TPESearch(spec: spec, raw: raw, budget: budget, state: state, progress: progress)
    }
    try state.write()
    let launcher: (any TrialLauncher)?
    if let l = options.launcher {
      launcher = l
    } else if options.jobs > 1 {
      guard let exe = options.executable else {
        throw StageError.failed("internal: a sweep with --jobs \(options.jobs) needs the workbench executable")
      }
      launcher = TrialProcessPool(executable: exe, jobs: 1)
    } else {
      launcher = nil
    }
    SweepJobPool.run(slots: options.jobs, search: search) { job in
      Self.execute(job, spec: spec, in: dir, launcher: launcher, options: options)
    }
    state.rank()
    try state.write()
    if Cancellation.isRequested { throw StageError.interrupted }
    return (dir, state.results)
  }

  /// Runs one job (or re-uses its finished run) and returns the trial's record from its run.
  static func execute(_ job: SweepJob, spec: SweepSpec, in dir: URL, launcher: (any TrialLauncher)?, options: Options)
    -> SweepResults.Trial
  {
    let t = job.trial
    let trialsDir = dir.appendingPathComponent("trials")
    if let run = finishedRun(of: t, in: dir) {
      var r = record(t, run: run, in: dir, spec: spec, status: "failed")
      r.reused = true
      return r
    }
    let previous = latestRun(of: t, in: dir)
    var failure: Error? = nil
    if let launcher {
      do {
        try launcher.run(
          [t], trialsDirectory: trialsDir, cache: options.runner.cache, started: { _ in },
          finished: { _, error in failure = error })
      } catch {
        failure = error
      }
    } else {
      var o = options.runner
      o.reportsRoot = trialsDir
      do { _ = try Runner().run(t.experiment, options: o) } catch { failure = error }
    }
    let latest = latestRun(of: t, in: dir)
    guard let latest, latest != previous else {
      var r = record(t, in: nil, spec: spec, status: "failed")
      if case StageError.interrupted? = failure { r.status = "interrupted" }
      r.error = failure.map { "\($0)" } ?? "the trial wrote no run folder"
      return r
    }
    return record(t, run: latest, in: dir, spec: spec, status: "failed")
  }

  /// The newest succeeded run of `t` in the sweep folder `dir` that trained the epochs `t`'s
  /// experiment trains (an ASHA rung is the trial at `train.stop_after_epochs`), if any.
  static func finishedRun(of t: SweepTrial, in dir: URL) -> String? {
    let folder = dir.appendingPathComponent("trials/\(t.id)")
    let target = t.experiment.settings.train.trainedEpochs
    let runs = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    for run in runs.sorted().reversed() where run != "latest" && !run.hasPrefix(".") {
      let url = folder.appendingPathComponent(run)
      guard let data = FileManager.default.contents(atPath: url.appendingPathComponent(RunLayout.manifest).path),
        let manifest = try? JSONDecoder().decode(RunManifest.self, from: data), manifest.status == "succeeded",
        let doc = try? JSONValue.parse(
          FileSystem.read(url.appendingPathComponent(RunLayout.experiment).path, "the run's experiment"), file: run),
        let epochs = doc["train"]?["epochs"]?.intValue
      else { continue }
      if min(doc["train"]?["stop_after_epochs"]?.intValue ?? epochs, epochs) == target { return run }
    }
    return nil
  }
}
