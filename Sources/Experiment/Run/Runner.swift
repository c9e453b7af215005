import Foundation
import Support
import Tensors
import Training

/// Runs an experiment's stages in order through the cache and records the run folder.
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
    public var manifest: Manifest
    public var metrics: JSONValue?
    public var failedGates: [Manifest.GateResult] { manifest.gates.filter { !$0.passed } }
  }

  public let stages: [Stage]
  public init(stages: [Stage] = StageRegistry.all) { self.stages = stages }

  /// Stages named in `force` and every stage that (transitively) reads them.
  func closure(of force: Set<String>) -> Set<String> {
    var out = force
    var changed = true
    while changed {
      changed = false
      for s in stages where !out.contains(s.name) && s.inputs.contains(where: out.contains) {
        out.insert(s.name); changed = true
      }
    }
    return out
  }

  static func key(stage: Stage, experiment: ResolvedExperiment, inputHashes: [String: String]) -> String {
    var text = "workbench \(CodeVersion.workbench)\nbuild \(CodeVersion.build)\nblas \(BLAS.coreName)\n"
    text += "stage \(stage.name)\nseed \(experiment.settings.seed)\n"
    text += "settings \(stage.settings(experiment).canonical)\n"
    for (k, v) in inputHashes.sorted(by: { $0.key < $1.key }) { text += "input \(k) \(v)\n" }
    return SHA256.hex(of: text)
  }

  static func outputsHash(_ outputs: [String: String]) -> String {
    SHA256.hex(of: outputs.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: "\n"))
  }

  /// The stages, their keys and whether each would be re-used from the cache, without running
  /// anything: a stage forced by `options.force`, or downstream of one, is not. A key that
  /// depends on a stage not yet computed is unknown (nil).
  public func plan(_ experiment: ResolvedExperiment, options: Options) throws -> [PlannedStage] {
    let forced = closure(of: options.force)
    var hashes: [String: String] = [:]
    var out: [PlannedStage] = []
    for s in stages {
      guard s.inputs.allSatisfy({ hashes[$0] != nil }) else { out.append(PlannedStage(name: s.name, key: nil, cached: false)); continue }
      let key = Self.key(stage: s, experiment: experiment, inputHashes: s.inputs.reduce(into: [:]) { $0[$1] = hashes[$1] })
      let entry = try options.cache.lookup(stage: s.name, key: key)
      if let entry { hashes[s.name] = Self.outputsHash(entry.outputs) }
      out.append(PlannedStage(name: s.name, key: key, cached: entry != nil && !forced.contains(s.name)))
    }
    return out
  }

  /// Runs every stage and writes the run folder. Throws ``RunFailure`` (with the run folder)
  /// when a stage fails; the folder's manifest then names the stage and the reason.
  public func run(_ experiment: ResolvedExperiment, options: Options) throws -> Result {
    let forced = closure(of: options.force)
    let runId = Self.makeRunId()
    let runDir = options.reportsRoot.appendingPathComponent(experiment.settings.name).appendingPathComponent(runId)
    try FileManager.default.createDirectory(at: runDir, withIntermediateDirectories: true)
    try AtomicWrite.writeJSON(experiment.document, to: runDir.appendingPathComponent("experiment.json"))
    try AtomicWrite.writeJSON(JSONValue.array(experiment.overrides.map(JSONValue.string)), to: runDir.appendingPathComponent("overrides.json"))
    var manifest = Manifest(
      workbenchVersion: CodeVersion.workbench, runId: runId, experiment: experiment.settings.name,
      created: ISO8601DateFormatter().string(from: Date()), status: "running", failedStage: nil, error: nil,
      host: ProcessInfo.processInfo.hostName, seed: experiment.settings.seed, blas: BLAS.coreName,
      toolVersions: ["workbench": CodeVersion.workbench, "build": CodeVersion.build, "compiler": CodeVersion.compiler,
                     "openblas_core": BLAS.coreName],
      stages: [], gates: [])
    var outputs: [String: URL] = [:]
    var hashes: [String: String] = [:]
    let root = RandomStream(seed: experiment.settings.seed)
    for (i, stage) in stages.enumerated() {
      let inputHashes = stage.inputs.reduce(into: [String: String]()) { $0[$1] = hashes[$1] }
      let key = Self.key(stage: stage, experiment: experiment, inputHashes: inputHashes)
      let header = "[\(i + 1)/\(stages.count)] \(stage.name)"
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
          try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
          let t0 = Date()
          do {
            try stage.run(StageContext(experiment: experiment, output: tmp, work: work, inputs: outputs,
                                       rng: root.split(stage.name), progress: options.progress))
          } catch {
            try? FileManager.default.removeItem(at: tmp)
            throw error
          }
          wall = Date().timeIntervalSince(t0)
          if entry != nil { try FileManager.default.removeItem(at: options.cache.directory(stage: stage.name, key: key)) }
          entry = try options.cache.publish(temporary: tmp, stage: stage.name, key: key, wallSeconds: wall)
          try? FileManager.default.removeItem(at: work)
          options.progress.line("\(header): done in \(String(format: "%.1f", wall)) s")
        }
        guard let done = entry else { throw StageError.failed("internal: no cache entry after running \(stage.name)") }
        let dir = options.cache.directory(stage: stage.name, key: key)
        outputs[stage.name] = dir
        hashes[stage.name] = Self.outputsHash(done.outputs)
        try Self.copyTree(dir, to: runDir.appendingPathComponent("stages").appendingPathComponent(stage.name))
        manifest.stages.append(.init(name: stage.name, key: key, cacheHit: hit, wallSeconds: wall, inputs: inputHashes, outputs: done.outputs))
      } catch {
        if case StageError.interrupted = error { manifest.status = "interrupted" } else { manifest.status = "failed" }
        manifest.failedStage = stage.name
        manifest.error = "\(error)"
        try? AtomicWrite.writeJSON(manifest, to: runDir.appendingPathComponent("manifest.json"))
        try? Self.updateLatest(runDir)
        if experiment.settings.report.enabled, let after = options.afterRun { try? after(runDir) }
        throw RunFailure(stage: stage.name, runDirectory: runDir, underlying: error)
      }
    }
    // KPIs and gates
    var metrics: JSONValue? = nil
    let metricsFile = runDir.appendingPathComponent("stages/evaluate/metrics.json")
    if let data = FileManager.default.contents(atPath: metricsFile.path) {
      metrics = try JSONValue.parse(data, file: metricsFile.path)
      try AtomicWrite.write(data, to: runDir.appendingPathComponent("metrics.json"))
    }
    for (metric, condition) in experiment.settings.evaluate.gates.sorted(by: { $0.key < $1.key }) {
      guard let gate = Gate.parse(metric: metric, condition: condition) else { continue }
      let value = metrics?["float"]?[metric]?.doubleValue
      manifest.gates.append(.init(metric: metric, condition: gate.condition, value: value, passed: value.map(gate.passes) ?? false))
    }
    manifest.status = "succeeded"
    try AtomicWrite.writeJSON(manifest, to: runDir.appendingPathComponent("manifest.json"))
    try Self.updateLatest(runDir)
    if experiment.settings.report.enabled, let after = options.afterRun {
      do { try after(runDir) } catch { options.progress.line("report: not rendered: \(error)") }
    }
    return Result(runDirectory: runDir, manifest: manifest, metrics: metrics)
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
    try fm.createDirectory(at: dst.deletingLastPathComponent(), withIntermediateDirectories: true)
    do { try fm.linkItem(at: src, to: dst) } catch { try fm.copyItem(at: src, to: dst) }
  }

  /// Points `Reports/<name>/latest` at `runDir` (atomically: a new link renamed over the old).
  static func updateLatest(_ runDir: URL) throws {
    let parent = runDir.deletingLastPathComponent()
    let tmp = parent.appendingPathComponent(".latest-\(getpid())-\(UInt64.random(in: 0...UInt64.max))")
    try? FileManager.default.removeItem(at: tmp)
    try FileManager.default.createSymbolicLink(atPath: tmp.path, withDestinationPath: runDir.lastPathComponent)
    if rename(tmp.path, parent.appendingPathComponent("latest").path) != 0 {
      throw StoreError.io(path: parent.appendingPathComponent("latest").path, reason: String(cString: strerror(errno)))
    }
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
