import Foundation
import RunFormat
import Support

/// Runs a sweep's trials through the shared stage cache and writes the sweep folder
/// `Reports/<sweep>/<sweep-id>/`: `sweep.json`, `trials.json`, `trials.csv`, `report.md`, `report.html` and
/// `trials/<trial-id>/` (each trial's run folders, with `latest`).
///
/// A trial whose latest run succeeded is not run again; a failing trial is recorded with its
/// stage and error and the sweep goes on. With one job and no launcher trials run in this
/// process; otherwise each runs as `workbench run` through a ``TrialLauncher`` (a local pool of
/// child processes or a Slurm job array).
public final class SweepRunner {
  public struct Options {
    /// The cache, progress output, report hook and reports root every trial uses.
    public var runner = Runner.Options()
    /// Trials run at once.
    public var jobs = 1
    /// The `workbench` executable children run (needed when `jobs > 1`).
    public var executable: URL? = nil
    /// Where trials run; nil: in this process with one job, else a ``TrialProcessPool`` of
    /// `jobs` children of `executable`.
    public var launcher: (any TrialLauncher)? = nil
    /// TPE: propose at most this many trials (grid, random and ASHA take it through
    /// ``SweepTrials/make(_:maxTrials:)``).
    public var maxTrials: Int? = nil
    public init() {}
  }

  public init() {}

  /// The sweep id: a hash of the sweep file and its base experiment as written, so the same
  /// sweep returns to the same folder (and `--max-trials` does not change it).
  public static func sweepId(_ spec: SweepSpec) throws -> String {
    let base = try JSONValue.parse(FileSystem.read(spec.base, "the base experiment"), file: spec.base)
    return String(SHA256.hex(of: "sweep \(spec.document.canonical)\nbase \(base.canonical)").prefix(12))
  }

  /// `reportsRoot/<sweep>/<sweep-id>`.
  public static func directory(_ spec: SweepSpec, reportsRoot: URL) throws -> URL {
    reportsRoot.appendingPathComponent(spec.name).appendingPathComponent(try sweepId(spec))
  }

  /// Runs `trials` (from ``SweepTrials/make(_:maxTrials:)``) and returns the folder and results.
  /// - Throws: ``StageError/interrupted`` after recording what finished when the sweep is
  ///   cancelled; file errors writing the sweep folder.
  public func run(_ spec: SweepSpec, trials: [SweepTrial], options: Options) throws -> (URL, SweepResults) {
    if spec.search == .asha || spec.search == .tpe { return try runAdaptive(spec, trials: trials, options: options) }
    let dir = try Self.directory(spec, reportsRoot: options.runner.reportsRoot)
    let trialsDir = dir.appendingPathComponent("trials")
    try FileSystem.createFolder(trialsDir, "the sweep's trials folder")
    try AtomicWrite.writeJSON(spec.document, to: dir.appendingPathComponent("sweep.json"))
    let state = SweepState(
      SweepResults(
        sweep: spec.name, sweepId: dir.lastPathComponent, base: spec.base, search: spec.search.rawValue,
        objectives: spec.objectives.map { .init(metric: $0.metric, direction: $0.direction) },
        constraints: spec.constraints.map { "\($0.metric) \($0.condition)" },
        trials: trials.map { Self.record($0, in: dir, spec: spec, status: "pending") }, pareto: [], best: [:],
        space: SweepResults.SpaceAxis.axes(of: spec)),
      directory: dir)
    var todo: [SweepTrial] = []
    for (i, t) in trials.enumerated() {
      if state.results.trials[i].status == "succeeded" {
        state.update(i, reused: true)
        options.runner.progress.line("trial \(i + 1)/\(trials.count) \(t.id) (\(t.label)): finished before, re-used")
      } else if let problem = Self.infeasibility(t) {
        // the static target check, before any training: an infeasible trial is never run
        var r = Self.record(t, in: nil, spec: spec, status: "infeasible")
        r.error = problem
        state.set(i, r)
        options.runner.progress.line("trial \(i + 1)/\(trials.count) \(t.id) (\(t.label)): infeasible, \(problem)")
      } else {
        todo.append(t)
      }
    }
    try state.write()
    let position = Dictionary(uniqueKeysWithValues: trials.enumerated().map { ($1.id, $0) })
    // a run folder from an earlier attempt must not stand in for this one
    let previous = Dictionary(uniqueKeysWithValues: todo.map { ($0.id, Self.latestRun(of: $0, in: dir)) })
    let finish: (SweepTrial, Error?) -> Void = { t, error in
      guard let i = position[t.id] else { return }
      var r = Self.record(t, in: dir, spec: spec, status: "failed")
      if Self.latestRun(of: t, in: dir) == previous[t.id] ?? nil {
        let interrupted: Bool
        if case StageError.interrupted? = error { interrupted = true } else { interrupted = false }
        r = Self.record(t, in: nil, spec: spec, status: interrupted ? "interrupted" : "failed")
        r.error = error.map { "\($0)" } ?? "the trial wrote no run folder"
      }
      state.set(i, r)
      options.runner.progress.line(
        "trial \(i + 1)/\(trials.count) \(t.id): \(r.status)\(r.failedStage.map { " at stage \($0)" } ?? "")")
    }
    if options.launcher == nil && options.jobs <= 1 {
      for t in todo {
        if Cancellation.isRequested { break }
        options.runner.progress.line("trial \((position[t.id] ?? 0) + 1)/\(trials.count) \(t.id): \(t.label)")
        state.start(position[t.id] ?? 0)
        var o = options.runner
        o.reportsRoot = trialsDir
        do {
          _ = try Runner().run(t.experiment, options: o)
          finish(t, nil)
        } catch {
          finish(t, error)
        }
      }
    } else {
      let launcher: any TrialLauncher
      if let l = options.launcher {
        launcher = l
      } else if let exe = options.executable {
        launcher = TrialProcessPool(executable: exe, jobs: options.jobs)
      } else {
        throw StageError.failed("internal: a sweep with --jobs \(options.jobs) needs the workbench executable")
      }
      try launcher.run(
        todo, trialsDirectory: trialsDir, cache: options.runner.cache,
        started: { t in
          state.start(position[t.id] ?? 0)
          options.runner.progress.line(
            "trial \((position[t.id] ?? 0) + 1)/\(trials.count) \(t.id): \(t.label) (\(launcher.runsAs))")
        },
        finished: finish)
    }
    state.rank()
    try state.write()
    if Cancellation.isRequested { throw StageError.interrupted }
    return (dir, state.results)
  }

  /// The run id `trials/<trial-id>/latest` points at in the sweep folder `dir`, if any.
  /// Why a trial cannot deploy on its hardware target (the static check of `run --dry-run`,
  /// from the settings alone), or nil when it can or has no target.
  public static func infeasibility(_ t: SweepTrial) -> String? {
    do {
      guard let check = try K210CheckStage.dryRun(t.experiment), !check.fits else { return nil }
      return "does not fit the K210: " + check.problems.joined(separator: "; ")
    } catch {
      return "the K210 check failed: \(error)"
    }
  }

  static func latestRun(of t: SweepTrial, in dir: URL) -> String? {
    try? FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("trials/\(t.id)/latest").path)
  }

  /// A trial's record from its latest run folder under the sweep folder `dir` (status, stage,
  /// error, objectives), or a record with `status` when there is none (or `dir` is nil).
  public static func record(_ t: SweepTrial, in dir: URL?, spec: SweepSpec, status: String) -> SweepResults.Trial {
    record(t, run: dir.flatMap { latestRun(of: t, in: $0) }, in: dir, spec: spec, status: status)
  }

  /// A trial's record from its run folder `runId` (nil: a record with `status`).
  static func record(_ t: SweepTrial, run runId: String?, in dir: URL?, spec: SweepSpec, status: String)
    -> SweepResults.Trial
  {
    let r = SweepResults.Trial(
      id: t.id, index: t.index, settings: Dictionary(uniqueKeysWithValues: t.values.map { ($0.path, $0.value) }),
      status: status, reused: false, failedStage: nil, error: nil, objectives: [:], feasible: false, runFolder: nil)
    guard let dir, let runId else { return r }
    return read(r, run: runId, of: t, in: dir, spec: spec)
  }

  /// `record` filled from trial `t`'s run folder `runId`: status, failed stage, error, objectives.
  static func read(_ record: SweepResults.Trial, run runId: String, of t: SweepTrial, in dir: URL, spec: SweepSpec)
    -> SweepResults.Trial
  {
    var r = record
    let run = dir.appendingPathComponent("trials/\(t.id)/\(runId)")
    guard let data = FileManager.default.contents(atPath: run.appendingPathComponent(RunLayout.manifest).path),
      let manifest = try? JSONDecoder().decode(RunManifest.self, from: data)
    else { return r }
    r.runFolder = "trials/\(t.id)/\(runId)"
    r.status = manifest.status ?? "failed"
    r.failedStage = manifest.failedStage
    r.error = manifest.error
    if let m = FileManager.default.contents(atPath: run.appendingPathComponent(RunLayout.metrics).path),
      let metrics = try? JSONDecoder().decode(RunMetrics.self, from: m)
    {
      for o in spec.objectives { r.objectives[o.metric] = metrics.value(o.kpi, variant: o.variant) }
      r.feasible = spec.constraints.allSatisfy { g in metrics.value(g.kpi, variant: g.variant).map(g.passes) ?? false }
    }
    return r
  }
}

/// The sweep's results while trials finish (from worker threads), written after each one.
final class SweepState: @unchecked Sendable {
  private let lock = NSLock()
  private(set) var results: SweepResults
  let directory: URL

  init(_ results: SweepResults, directory: URL) {
    self.results = results
    self.directory = directory
  }

  func update(_ i: Int, reused: Bool) { lock.withLock { results.trials[i].reused = reused } }

  /// Marks trial `i` as running and writes the files, so `sweep status` shows it.
  func start(_ i: Int) {
    lock.withLock {
      results.trials[i].status = "running"
      try? Self.write(results, to: directory)
    }
  }

  /// Records trial `i`, ranks the trials finished so far and writes the files (under the
  /// lock, so a slower writer never replaces newer results with older ones).
  func set(_ i: Int, _ r: SweepResults.Trial) {
    lock.withLock {
      results.trials[i] = r
      results.rank()
      try? Self.write(results, to: directory)
    }
  }

  func rank() { lock.withLock { results.rank() } }

  /// Changes the results with `body`, ranks them and writes the files (under the lock); returns
  /// what `body` returns.
  @discardableResult
  func change<T>(_ body: (inout SweepResults) -> T) -> T {
    lock.withLock {
      let value = body(&results)
      results.rank()
      try? Self.write(results, to: directory)
      return value
    }
  }

  /// Writes `trials.json`, `trials.csv`, `report.md` and `report.html`.
  func write() throws {
    try lock.withLock { try Self.write(results, to: directory) }
  }

  static func write(_ r: SweepResults, to directory: URL) throws {
    try AtomicWrite.writeJSON(r, to: directory.appendingPathComponent("trials.json"), snakeCase: false)
    try AtomicWrite.write(SweepTable.csv(r), to: directory.appendingPathComponent("trials.csv"))
    try SweepReportFigures.write(r, to: directory)
    try AtomicWrite.write(SweepTable.markdown(r), to: directory.appendingPathComponent("report.md"))
    try AtomicWrite.write(SweepReportHTML.render(r), to: directory.appendingPathComponent("report.html"))
    if r.rungEpochs != nil {
      try AtomicWrite.write(SweepRungs.csv(r), to: directory.appendingPathComponent("rungs.csv"))
    }
  }
}
