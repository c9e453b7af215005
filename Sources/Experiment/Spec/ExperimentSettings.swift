import Foundation
import Support

/// A resolved (validated, defaults filled) experiment file, decoded once into the typed
/// settings each stage owns: ``DataSettings``, ``ModelSettings``, ``TrainSettings``,
/// ``EvaluateSettings``, ``ReportSettings``.
public struct ExperimentSettings: Codable, Equatable, Sendable {
  public var version: Int
  public var name: String
  public var description: String
  public var seed: UInt64
  public var data: DataSettings
  public var model: ModelSettings
  public var train: TrainSettings
  public var evaluate: EvaluateSettings
  public var report: ReportSettings
}

/// An experiment ready to run: the resolved document (saved with the run and hashed for cache
/// keys) and its typed settings.
public struct ResolvedExperiment: Sendable {
  public var document: JSONValue
  public var settings: ExperimentSettings
  public var overrides: [String]
  public var sourceFile: String

  /// The model variants this experiment evaluates (one evaluate stage each).
  public var variants: [ModelVariant] { [.float] }
}
