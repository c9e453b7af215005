import Foundation
import Metrics
import RunFormat
import Support

/// Everything a run folder says about a run: the report's data model.
///
/// Built only from the run folder (``RunReport/load(from:)``), so `workbench report RUN_DIR`
/// regenerates a report without re-running anything. Renderers never read files themselves;
/// optional parts are `nil` when their file is absent and their section is then left out.
public struct RunReport: Codable, Sendable {
  /// The run folder's name (the run id when the manifest has none).
  public var folderName: String
  /// The resolved experiment.
  public var experiment: JSONValue
  /// `manifest.json`.
  public var manifest: RunManifest
  /// Command-line overrides applied to the experiment file.
  public var overrides: [String]
  /// `metrics.json`.
  public var metrics: RunMetrics?
  /// The data stage's summary.
  public var data: DataSummary?
  /// PNG grid of training samples with ground truth.
  public var dataSamples: Data?
  /// PNG grid of predictions after evaluation.
  public var predictionSamples: Data?
  /// Per-layer model costs.
  public var cost: ModelCost?
  /// The model graph as Mermaid text.
  public var graphMermaid: String?
  /// Per-epoch training history.
  public var history: TrainingHistory?
  /// The detection evaluation.
  public var detection: DetectionReport?
  /// The verification evaluation.
  public var verification: VerificationReport?
  /// Pair distances for verification histograms.
  public var pairDistances: PairDistances?
  /// The classification evaluation.
  public var classification: ClassificationReport?
  /// The static K210 check.
  public var k210Check: K210CheckSummary?
  /// The deployed model's K210 time and frame pipeline (simulate-k210 stage).
  public var k210Simulation: K210SimulationSummary?
  /// What the compress stage removed.
  public var compression: CompressionRecord?
  /// The sensitivity stage's curves (KPI against pruning ratio per channel group).
  public var sensitivity: SensitivityRecord?
  /// The quantize stage's formats and diagnostics.
  public var quantization: QuantizationSummary?

  /// The experiment name (`name` in the resolved experiment, else the parent folder's name).
  public var experimentName: String { experiment["name"]?.stringValue ?? manifest.experiment ?? "experiment" }

  /// The run id from the manifest, else the folder name.
  public var runId: String { manifest.runId ?? folderName }

  /// The seed from the manifest, else from the experiment.
  public var seed: UInt64? {
    manifest.seed ?? experiment["seed"]?.doubleValue.flatMap { $0 >= 0 && $0 < 1.8e19 ? UInt64($0) : nil }
  }

  /// The status word shown in headers: the manifest's (`succeeded`, `failed`, `interrupted`,
  /// `running`), else `failed` when a failed stage is named, else `unknown`.
  public var status: String { manifest.status ?? (manifest.failedStage != nil ? "failed" : "unknown") }

  /// Creates a report from its parts (tests and tools; runs use ``load(from:)``).
  public init(folderName: String, experiment: JSONValue, manifest: RunManifest, overrides: [String] = []) {
    self.folderName = folderName
    self.experiment = experiment
    self.manifest = manifest
    self.overrides = overrides
  }

  /// Reads a run folder.
  ///
  /// - Parameter runDirectory: `Reports/<experiment>/<run-id>/`.
  /// - Throws: ``ReportError/missingRequiredFile(path:)`` when `experiment.json` or
  ///   `manifest.json` is absent; ``ReportError/malformed(path:reason:)`` naming the first file
  ///   that exists but does not decode.
  public static func load(from runDirectory: URL) throws -> RunReport {
    let folder = RunFolder(url: runDirectory)
    typealias F = RunFolder.File
    var report = try loadHeadline(from: runDirectory)
    report.data = try folder.decode(DataSummary.self, F.dataSummary)
    report.dataSamples = try folder.data(F.dataSamples)
    report.predictionSamples = try folder.data(F.predictionSamples)
    report.cost = try folder.decode(ModelCost.self, F.modelCost)
    report.graphMermaid = try folder.text(F.modelGraph)
    report.history =
      try folder.decode(TrainingHistory.self, F.trainingHistoryWithTiming)
      ?? folder.decode(TrainingHistory.self, F.trainingHistory)
    report.detection = try folder.decode(DetectionReport.self, F.detection)
    report.verification = try folder.decode(VerificationReport.self, F.verification)
    report.pairDistances = try folder.decode(PairDistances.self, F.verificationDistances)
    report.classification = try folder.decode(ClassificationReport.self, F.classification)
    report.k210Check = try folder.decode(K210CheckSummary.self, F.k210Check)
    report.k210Simulation = try folder.decode(K210SimulationSummary.self, F.k210Simulation)
    report.quantization = try folder.decode(QuantizationSummary.self, F.quantization)
    report.compression = try folder.decode(CompressionRecord.self, F.compression)
    report.sensitivity = try folder.decode(SensitivityRecord.self, F.sensitivity)
    return report
  }

  /// Reads only what the run index needs: `experiment.json`, `manifest.json`,
  /// `overrides.json` and `metrics.json`.
  ///
  /// - Throws: Like ``load(from:)``, for those four files.
  public static func loadHeadline(from runDirectory: URL) throws -> RunReport {
    let folder = RunFolder(url: runDirectory)
    typealias F = RunFolder.File
    var report = RunReport(
      folderName: runDirectory.standardizedFileURL.lastPathComponent,
      experiment: try folder.require(JSONValue.self, F.experiment),
      manifest: try folder.require(RunManifest.self, F.manifest),
      overrides: try folder.decode([String].self, F.overrides) ?? [])
    report.metrics = try folder.decode(RunMetrics.self, F.metrics)
    return report
  }
}
