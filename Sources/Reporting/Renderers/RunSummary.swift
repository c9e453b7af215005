import Foundation
import RunFormat

/// `summary.json`: the stable, machine-readable digest of a run report.
///
/// Format `workbench.run-summary`, version 1. Keys are sorted and absent values are `null`;
/// fields are only added within a version. The run index and comparisons can be built from
/// it; the HTML and Markdown reports are for people and not for parsing.
public struct RunSummary: Codable, Equatable, Sendable {
  /// `"workbench.run-summary"`.
  public var format = "workbench.run-summary"
  /// Format version.
  public var version = 1
  /// Experiment name.
  public var experiment: String
  /// Run id.
  public var runId: String
  /// ISO-8601 creation time.
  public var created: String?
  /// `succeeded`, `failed`, …
  public var status: String
  /// The stage that failed, if any.
  public var failedStage: String?
  /// The failure sentence, if any.
  public var error: String?
  /// Seed.
  public var seed: UInt64?
  /// Workbench version.
  public var workbenchVersion: String?
  /// KPIs by variant, then by name.
  public var kpis: [String: [String: Double]]
  /// KPI definitions by name.
  public var definitions: [String: String]
  /// Gate outcomes.
  public var gates: [RunManifest.GateResult]
  /// Stages with wall time and cache hit.
  public var stages: [Stage]
  /// Section ids present in the report, in order.
  public var sections: [String]
  /// Figure files written under `figures/`.
  public var figures: [String]

  /// One stage's timing.
  public struct Stage: Codable, Equatable, Sendable {
    /// Stage name.
    public var name: String
    /// Whether it came from the cache.
    public var cacheHit: Bool
    /// Wall-clock seconds.
    public var wallSeconds: Double?
  }

  /// The summary of `report` as rendered into `document`.
  public init(report: RunReport, document: ReportDocument) {
    experiment = report.experimentName
    runId = report.runId
    created = report.manifest.created
    status = report.status
    failedStage = report.manifest.failedStage
    error = report.manifest.error
    seed = report.seed
    workbenchVersion = report.manifest.workbenchVersion
    var kpis: [String: [String: Double]] = [:]
    for v in report.metrics?.variants ?? [] { kpis[v.name] = v.values }
    self.kpis = kpis
    definitions = report.metrics?.definitions ?? [:]
    gates = report.manifest.gates
    stages = report.manifest.stages.map { Stage(name: $0.name, cacheHit: $0.cacheHit, wallSeconds: $0.wallSeconds) }
    sections = document.sections.map(\.id)
    figures = document.figures.map { "\($0.id).png" } + document.images.map(\.fileName)
  }

  /// Encodes every field, writing absent values as `null`.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(format, forKey: .format)
    try c.encode(version, forKey: .version)
    try c.encode(experiment, forKey: .experiment)
    try c.encode(runId, forKey: .runId)
    try c.encode(created, forKey: .created)
    try c.encode(status, forKey: .status)
    try c.encode(failedStage, forKey: .failedStage)
    try c.encode(error, forKey: .error)
    try c.encode(seed, forKey: .seed)
    try c.encode(workbenchVersion, forKey: .workbenchVersion)
    try c.encode(kpis, forKey: .kpis)
    try c.encode(definitions, forKey: .definitions)
    try c.encode(gates, forKey: .gates)
    try c.encode(stages, forKey: .stages)
    try c.encode(sections, forKey: .sections)
    try c.encode(figures, forKey: .figures)
  }

  /// Pretty-printed JSON with sorted keys.
  public func jsonData() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return try encoder.encode(self)
  }
}
