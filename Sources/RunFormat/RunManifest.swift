/// `manifest.json`: what ran, how long each stage took, cache hits, hashes and gate results.
///
/// Every field is optional when decoding except that the document must be an object, so a
/// manifest from an older or newer runner still gives a report.
public struct RunManifest: Codable, Equatable, Sendable {
  /// Workbench version that made the run.
  public var workbenchVersion: String?
  /// The run id (the run folder's name).
  public var runId: String?
  /// ISO-8601 creation time.
  public var created: String?
  /// `"succeeded"` or `"failed"` (or another runner status such as `"running"`).
  public var status: String?
  /// The stage that failed, if any.
  public var failedStage: String?
  /// The failure, as one sentence.
  public var error: String?
  /// Host name.
  public var host: String?
  /// The experiment's name.
  public var experiment: String?
  /// The experiment seed.
  public var seed: UInt64?
  /// The BLAS kernels in use.
  public var blas: String?
  /// Versions of Workbench, the compiler and external tools, by name.
  public var toolVersions: [String: String]
  /// Stages in run order.
  public var stages: [StageRecord]
  /// Every artifact the stages wrote, by name (`dataset`, `model:trained`, `metrics:float`, …).
  public var artifacts: [String: ArtifactRecord]
  /// Quality gates and their outcome.
  public var gates: [GateResult]

  enum CodingKeys: String, CodingKey {
    case workbenchVersion = "workbench_version", runId = "run_id", created, status
    case failedStage = "failed_stage", error, host, experiment, seed, blas
    case toolVersions = "tool_versions", stages, artifacts, gates
  }

  /// Creates a manifest.
  public init(
    workbenchVersion: String? = nil, runId: String? = nil, created: String? = nil, status: String? = nil,
    failedStage: String? = nil, error: String? = nil, host: String? = nil, experiment: String? = nil,
    seed: UInt64? = nil, blas: String? = nil, toolVersions: [String: String] = [:], stages: [StageRecord] = [],
    artifacts: [String: ArtifactRecord] = [:], gates: [GateResult] = []
  ) {
    self.workbenchVersion = workbenchVersion
    self.runId = runId
    self.created = created
    self.status = status
    self.failedStage = failedStage
    self.error = error
    self.host = host
    self.experiment = experiment
    self.seed = seed
    self.blas = blas
    self.toolVersions = toolVersions
    self.stages = stages
    self.artifacts = artifacts
    self.gates = gates
  }

  /// Decodes leniently: absent fields are `nil` or empty.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    workbenchVersion = try c.decodeIfPresent(String.self, forKey: .workbenchVersion)
    runId = try c.decodeIfPresent(String.self, forKey: .runId)
    created = try c.decodeIfPresent(String.self, forKey: .created)
    status = try c.decodeIfPresent(String.self, forKey: .status)
    failedStage = try c.decodeIfPresent(String.self, forKey: .failedStage)
    error = try c.decodeIfPresent(String.self, forKey: .error)
    host = try c.decodeIfPresent(String.self, forKey: .host)
    experiment = try c.decodeIfPresent(String.self, forKey: .experiment)
    seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
    blas = try c.decodeIfPresent(String.self, forKey: .blas)
    toolVersions = try c.decodeIfPresent([String: String].self, forKey: .toolVersions) ?? [:]
    stages = try c.decodeIfPresent([StageRecord].self, forKey: .stages) ?? []
    artifacts = try c.decodeIfPresent([String: ArtifactRecord].self, forKey: .artifacts) ?? [:]
    gates = try c.decodeIfPresent([GateResult].self, forKey: .gates) ?? []
  }

  /// Whether the run stopped at a stage (failed or interrupted).
  public var failed: Bool { status == "failed" || status == "interrupted" || failedStage != nil }

  /// One stage's record.
  public struct StageRecord: Codable, Equatable, Sendable {
    /// Stage name (`data`, `train`, …).
    public var name: String
    /// Cache key (hex).
    public var key: String?
    /// Whether the outputs came from the cache.
    public var cacheHit: Bool
    /// Wall-clock seconds (of the original run when cached).
    public var wallSeconds: Double?
    /// Content hashes of the artifacts the stage read, by artifact name.
    public var inputs: [String: String]
    /// Output file hashes by file name.
    public var outputs: [String: String]

    enum CodingKeys: String, CodingKey {
      case name, key, cacheHit = "cache_hit", wallSeconds = "wall_seconds", inputs, outputs
    }

    /// Creates a stage record.
    public init(
      name: String, key: String? = nil, cacheHit: Bool = false, wallSeconds: Double? = nil,
      inputs: [String: String] = [:], outputs: [String: String] = [:]
    ) {
      self.name = name
      self.key = key
      self.cacheHit = cacheHit
      self.wallSeconds = wallSeconds
      self.inputs = inputs
      self.outputs = outputs
    }

    /// Decodes leniently (only `name` is required).
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      name = try c.decode(String.self, forKey: .name)
      key = try c.decodeIfPresent(String.self, forKey: .key)
      cacheHit = try c.decodeIfPresent(Bool.self, forKey: .cacheHit) ?? false
      wallSeconds = try c.decodeIfPresent(Double.self, forKey: .wallSeconds)
      inputs = try c.decodeIfPresent([String: String].self, forKey: .inputs) ?? [:]
      outputs = try c.decodeIfPresent([String: String].self, forKey: .outputs) ?? [:]
    }
  }

  /// An artifact: the stage that wrote it, its files (relative to the run folder) and its
  /// content hash (SHA-256 over its files' names and hashes), the value readers' cache keys use.
  public struct ArtifactRecord: Codable, Equatable, Sendable {
    /// The stage that wrote it.
    public var stage: String
    /// Its files, relative to the run folder, main file first.
    public var files: [String]
    /// Its content hash.
    public var hash: String

    /// Creates a record.
    public init(stage: String, files: [String], hash: String) {
      self.stage = stage
      self.files = files
      self.hash = hash
    }
  }

  /// A quality gate: a condition on a KPI and whether the run met it.
  public struct GateResult: Codable, Equatable, Sendable {
    /// The KPI as the gate names it: `map50` (the float model's) or `variant.metric`.
    public var metric: String
    /// The condition, e.g. `>= 0.6`.
    public var condition: String
    /// The KPI's value (`nil` when the stage producing it did not run).
    public var value: Double?
    /// Whether the condition held.
    public var passed: Bool

    /// Creates a gate result.
    public init(metric: String, condition: String, value: Double?, passed: Bool) {
      self.metric = metric
      self.condition = condition
      self.value = value
      self.passed = passed
    }
  }
}
