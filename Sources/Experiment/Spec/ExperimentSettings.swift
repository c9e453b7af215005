import Foundation
import Support

/// A resolved (validated, defaults filled) experiment file, decoded once into the typed
/// settings each stage owns: ``DataSettings``, ``ModelSettings``, ``TrainSettings``,
/// ``EvaluateSettings``, ``ReportSettings``.
public struct ExperimentSettings: Codable, Equatable, Sendable {
  /// Format version (1).
  public var version: Int
  /// Experiment name; names `Reports/<name>/`.
  public var name: String
  /// Free text shown in the report.
  public var description: String
  /// Seed of the run's root random stream.
  public var seed: UInt64
  /// The data stage's settings.
  public var data: DataSettings
  /// The model stage's settings.
  public var model: ModelSettings
  /// The train stage's settings.
  public var train: TrainSettings
  /// The evaluate stages' settings.
  public var evaluate: EvaluateSettings
  /// Structured pruning, when wanted.
  public var compress: CompressSettings?
  /// Deployment files, when wanted.
  public var export: ExportSettings?
  /// Post-training quantization, when wanted.
  public var quantize: QuantizeSettings?
  /// Report rendering.
  public var report: ReportSettings
  /// Deployment targets to check (and, later, simulate).
  public var simulate: SimulateSettings
}

/// An experiment ready to run: the resolved document (saved with the run and hashed for cache
/// keys) and its typed settings.
public struct ResolvedExperiment: Sendable {
  /// The resolved document, as saved in `experiment.json`.
  public var document: JSONValue
  /// The typed settings decoded from it.
  public var settings: ExperimentSettings
  /// The `--set` overrides applied.
  public var overrides: [String]
  /// The experiment file.
  public var sourceFile: String

  /// The model variants this experiment evaluates (one evaluate stage each).
  public var variants: [ModelVariant] {
    [.float] + (settings.compress != nil ? [.compressed] : []) + (settings.quantize != nil ? [.quantized] : [])
      + (settings.export?.kmodel != nil ? [.kmodel] : [])
  }
}
