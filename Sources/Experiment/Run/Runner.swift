import Foundation
import RunFormat
import Support
import Tensors
import Training

/// Runs an experiment's stages in order through the cache and records the run folder.
///
/// Stages are wired by artifact: each artifact a stage reads is written by exactly one earlier
/// stage (``ArtifactGraph``); the reader's cache key holds the artifact's content hash, and the
/// manifest records every artifact with its producer, files and hash.
public final class Runner {
  public struct Options {
    public var cache: Cache = .default()
    public var reportsRoot = URL(fileURLWithPath: "Reports")
    public var force: Set<String> = []
    public var progress = ProgressReporter()
    /// Called with the run folder after the stages (renders the report); failures are reported
    /// but do not change the run's status.
    public var afterRun: ((URL) throws -> Void)? = nil
    public init() {}
  }

  /// One stage's place in a plan.
  public struct PlannedStage {
    public var name: String
    public var key: String?
    public var cached: Bool
  }

  public struct Result {
    public var runDirectory: URL
    public var manifest: RunManifest
    public var metrics: RunMetrics?
    public var failedGates: [RunManifest.GateResult] { manifest.gates.filter { !$0.passed } }
  }

  /// The stages to run, or nil for ``StageRegistry/stages(for:)`` of each experiment.
  let fixedStages: [Stage]?
  public init(stages: [Stage]? = nil) { self.fixedStages = stages }

  /// The stages that run `experiment`, checked as a DAG of artifacts.
  public func stages(for experiment: ResolvedExperiment) throws -> ArtifactGraph {
    try ArtifactGraph(fixedStages ?? StageRegistry.stages(for: experiment))
  }

  static func key(stage: Stage, experiment: ResolvedExperiment, inputHashes: [ArtifactName: String]) -> String {
    key(stage: stage, settings: stage.settings(experiment), experiment: experiment, inputHashes: inputHashes)
  }

  /// The key of `stage` with `settings` in place of its own (a ``ContinuableStage``'s
  /// trajectory settings give its trajectory key).
  static func key(
    stage: Stage, settings: JSONValue, experiment: ResolvedExperiment, inputHashes: [ArtifactName: String]
  ) -> String {
    var text = "workbench \(CodeVersion.workbench)\nbuild \(CodeVersion.build)\nblas \(BLAS.coreName)\n"
    text += "stage \(stage.name)\nseed \(experiment.settings.seed)\n"
    text += "settings \(settings.canonical)\n"
    for (k, v) in inputHashes.sorted(by: { $0.key < $1.key }) { text += "input \(k) \(v)\n" }
    return SHA256.hex(of: text)
  }

  /// The content hash of an artifact: its files' names and hashes.
  static func artifactHash(_ files: [String], outputs: [String: String]) -> String {
    SHA256.hex(of: files.map { "\($0) \(outputs[$0] ?? "missing")" }.joined(separator: "\n"))
  }

  /// The stages, their keys and whether each would be re-used from the cache, without running
  /// anything: a stage forced by `options.force`, or downstream of one, is not. A key that
  /// depends on a stage not yet computed is unknown (nil).
  public func plan(_ experiment: ResolvedExperiment, options: Options) throws -> [PlannedStage] {
    let graph = try stages(for: experiment)
    let forced = try graph.downstream(of: options.force)
    var hashes: [ArtifactName: String] = [:]
    var out: [PlannedStage] = []
    for s in graph.stages {
      guard s.reads.allSatisfy({ hashes[$0] != nil }) else {
        out.append(PlannedStage(name: s.name, key: nil, cached: false)); continue
      }
      let key = Self.key(
        stage: s, experiment: experiment, inputHashes: s.reads.reduce(into: [:]) { $0[$1] = hashes[$1] })
      let entry = try options.cache.lookup(stage: s.name, key: key)
      if let entry {
        for a in s.writes { hashes[a.name] = Self.artifactHash(a.files, outputs: entry.outputs) }
      }
      out.append(PlannedStage(name: s.name, key: key, cached: entry != nil && !forced.contains(s.name)))
    }
    return out
  }

  /// Runs every stage and writes the run folder. Throws ``RunFailure`` (with the run folder)
  /// when a stage fails; the folder's manifest then names the stage and the reason.
  public func run(_ experiment: ResolvedExperiment, options: Options) throws -> Result {
    let graph = try stages(for: experiment)
    let forced = try graph.downstream(of: options.force)
    let runId = Self.makeRunId()
    let runDir = options.reportsRoot.appendingPathComponent(experiment.settings.name).appendingPathComponent(runId)
    try FileSystem.createFolder(runDir, "the run folder")
    try AtomicWrite.writeJSON(experiment.document, to: runDir.appendingPathComponent(RunLayout.experiment))
    try AtomicWrite.writeJSON(
      JSONValue.array(experiment.overrides.map(JSONValue.string)),
      to: runDir.appendingPathComponent(RunLayout.overrides))
    var manifest = RunManifest(
      workbenchVersion: CodeVersion.workbench, runId: runId, created: ISO8601DateFormatter().string(from: Date()),
      status: "running", host: ProcessInfo.processInfo.hostName, experiment: experiment.settings.name,
      seed: experiment.settings.seed, blas: BLAS.coreName,
      toolVersions: [
        "workbench": CodeVersion.workbench, "build": CodeVersion.build, "compiler": CodeVersion.compiler,
        "openblas_core": BLAS.coreName,
      ])
    var files: [ArtifactName: [URL]] = [:]
    var hashes: [ArtifactName: String] = [:]
    let root = RandomStream(seed: experiment.settings.seed)
    for (i, stage) in graph.stages.enumerated() {
      let inputHashes = stage.reads.reduce(into: [ArtifactName: String]()) { $0[$1] = hashes[$1] }
      let key = Self.key(stage: stage, experiment: experiment, inputHashes: inputHashes)
      let header = "[\(i + 1)/\(graph.stages.count)] \(stage.name)"
      do {
        let lock = try options.cache.lock(stage: stage.name, key: key)
        defer { lock.unlock() }
        var entry = try options.cache.lookup(stage: stage.name, key: key)
        let hit = entry != nil && !forced.contains(stage.name)
        var wall = entry?.wallSeconds ?? 0
        if hit {
          options.progress.line("\(header): cached (key \(key.prefix(12)))")
        } else {
          options.progress.line("\(header): running (key \(key.prefix(12)))")
          let tmp = try options.cache.makeTemporary(stage: stage.name, key: key)
          let work = options.cache.workDirectory(stage: stage.name, key: key)
          try FileSystem.createFolder(work, "the stage's work folder")
          let t0 = Date()
          do {
            let inputs = stage.reads.reduce(into: [ArtifactName: [URL]]()) { $0[$1] = files[$1] }
            var context = StageContext(
              experiment: experiment, output: tmp, work: work, artifacts: inputs,
              rng: root.split(stage.name), progress: options.progress)
            if let c = stage as? ContinuableStage {
              let trajectory = Self.key(
                stage: stage, settings: c.trajectorySettings(experiment), experiment: experiment,
                inputHashes: inputHashes)
              context.checkpoints = options.cache.checkpointDirectory(stage: stage.name, key: trajectory)
            }
            try stage.run(context)
            for a in stage.writes {
              for f in a.files where !FileManager.default.fileExists(atPath: tmp.appendingPathComponent(f).path) {
                throw StageError.failed(
                  "internal: stage `\(stage.name)` did not write \(f) of its artifact `\(a.name)`")
              }
            }
          } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
          }
          wall = Date().timeIntervalSince(t0)
          if entry != nil {
            try FileSystem.remove(options.cache.directory(stage: stage.name, key: key), "the old cache entry")
          }
          entry = try options.cache.publish(temporary: tmp, stage: stage.name, key: key, wallSeconds: wall)
          try? FileManager.default.removeItem(at: work)
          options.progress.line("\(header): done in \(String(format: "%.1f", wall)) s")
        }
        guard let done = entry else { throw StageError.failed("internal: no cache entry after running \(stage.name)") }
        let dir = options.cache.directory(stage: stage.name, key: key)
        for a in stage.writes {
          files[a.name] = a.files.map { dir.appendingPathComponent($0) }
          let hash = Self.artifactHash(a.files, outputs: done.outputs)
          hashes[a.name] = hash
          manifest.artifacts[a.name.rawValue] = .init(
            stage: stage.name, files: a.files.map { RunLayout.path(stage.name, $0) }, hash: hash)
        }
        try Self.copyTree(dir, to: runDir.appendingPathComponent(RunLayout.folder(stage.name)))
        manifest.stages.append(
          .init(
            name: stage.name, key: key, cacheHit: hit, wallSeconds: wall,
            inputs: inputHashes.reduce(into: [:]) { $0[$1.key.rawValue] = $1.value }, outputs: done.outputs))
      } catch {
        if case StageError.interrupted = error { manifest.status = "interrupted" } else { manifest.status = "failed" }
        manifest.failedStage = stage.name
        manifest.error = "\(error)"
        try? Self.writeManifest(manifest, in: runDir)
        try? Self.updateLatest(runDir)
        if experiment.settings.report.enabled, let after = options.afterRun { try? after(runDir) }
        throw RunFailure(stage: stage.name, runDirectory: runDir, underlying: error)
      }
    }
    let metrics = try Self.mergeMetrics(files, stages: graph.stages)
    if let metrics {
      try AtomicWrite.writeJSON(metrics, to: runDir.appendingPathComponent(RunLayout.metrics), snakeCase: false)
    }
    for gate in experiment.settings.evaluate.parsedGates {
      let value = metrics?.value(gate.kpi, variant: gate.variant)
      manifest.gates.append(
        .init(metric: gate.metric, condition: gate.condition, value: value, passed: value.map(gate.passes) ?? false))
    }
    manifest.status = "succeeded"
    try Self.writeManifest(manifest, in: runDir)
    try Self.updateLatest(runDir)
    if experiment.settings.report.enabled, let after = options.afterRun {
      do { try after(runDir) } catch { options.progress.line("report: not rendered: \(error)") }
    }
    return Result(runDirectory: runDir, manifest: manifest, metrics: metrics)
  }

  /// The run's `metrics.json`: every `metrics:<block>` artifact's block, in stage order, and the
  /// union of the definitions (the same for every model variant, as one stage type computes
  /// them all).
  static func mergeMetrics(_ files: [ArtifactName: [URL]], stages: [Stage]) throws -> RunMetrics? {
    var merged: RunMetrics? = nil
    for artifact in stages.flatMap(\.writes).map(\.name) where artifact.isMetrics {
      guard let url = files[artifact]?.first, let data = FileManager.default.contents(atPath: url.path) else {
        continue
      }
      let m = try JSONDecoder().decode(RunMetrics.self, from: data)
      if merged == nil { merged = RunMetrics(variants: []) }
      merged?.variants += m.variants
      merged?.definitions.merge(m.definitions) { a, _ in a }
    }
    // model variants first, in their order, then target blocks in stage order
    guard var result = merged else { return nil }
    let order = ModelVariant.allCases.map(\.rawValue)
    let rank = { (name: String) in order.firstIndex(of: name) ?? order.count }
    result.variants = result.variants.enumerated()
      .sorted { (rank($0.element.name), $0.offset) < (rank($1.element.name), $1.offset) }.map(\.element)
    return result
  }

  static func writeManifest(_ manifest: RunManifest, in runDir: URL) throws {
    try AtomicWrite.writeJSON(manifest, to: runDir.appendingPathComponent(RunLayout.manifest), snakeCase: false)
  }

  static func makeRunId() -> String {
    let f = DateFormatter()
    f.locale = Locale(identifier: "en_US_POSIX")
    f.timeZone = TimeZone(identifier: "UTC")
    f.dateFormat = "yyyyMMdd-HHmmss"
    return "\(f.string(from: Date()))-\(String(format: "%04x", UInt16.random(in: 0...UInt16.max)))"
  }

  /// Copies (hard-linking where possible) a cache entry into the run folder.
  static func copyTree(_ src: URL, to dst: URL) throws {
    let fm = FileManager.default
    try? fm.removeItem(at: dst)
    try FileSystem.createFolder(dst.deletingLastPathComponent(), "the run folder")
    do { try fm.linkItem(at: src, to: dst) } catch { try FileSystem.copy(src, to: dst, "the stage's outputs") }
  }

  /// Points `Reports/<name>/latest` at `runDir` (atomically: a new link renamed over the old).
  static func updateLatest(_ runDir: URL) throws {
    let parent = runDir.deletingLastPathComponent()
    let tmp = parent.appendingPathComponent(".latest-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
    try? FileManager.default.removeItem(at: tmp)
    try FileSystem.createSymbolicLink(tmp, to: runDir.lastPathComponent, "the latest link")
    try FileSystem.move(tmp.path, to: parent.appendingPathComponent("latest").path, "the latest link")
  }
}

/// A run that stopped at a failing (or interrupted) stage.
public struct RunFailure: Error, CustomStringConvertible {
  public var stage: String
  public var runDirectory: URL
  public var underlying: Error
  public var description: String { "stage `\(stage)` failed: \(underlying)\n(run folder: \(runDirectory.path))" }
}

#if canImport(Glibc)
  import Glibc
#endif
