/// The name of an artifact passed between stages: `dataset`, `model`, `model:trained`,
/// `metrics:float`, later `model:compressed`, `model:quantized`, `kmodel`, `gap8-project`,
/// `metrics:k210`.
///
/// Stages declare the artifacts they read and write; the runner wires each read to the one
/// stage that writes it, puts the artifact's content hash into the reader's cache key and
/// records every artifact (producer, files, hash) in the manifest. A stage never reaches into
/// another stage's folder by name.
public struct ArtifactName: Hashable, Comparable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
  public let rawValue: String
  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { self.rawValue = value }
  public var description: String { rawValue }
  public static func < (a: ArtifactName, b: ArtifactName) -> Bool { a.rawValue < b.rawValue }

  /// The dataset file (HDF5, format v1; Data/README.md).
  public static let dataset: ArtifactName = "dataset"
  /// The untrained graph (`model.json`, graph IR).
  public static let model: ArtifactName = "model"
  /// The trained graph with parameter values (`model.json`) and its weight file (`weights.h5`).
  public static let trainedModel: ArtifactName = "model:trained"
  /// The trained graph prepared for deployment (BatchNorm folded; `model.deploy.json`), what
  /// quantization and export read.
  public static let deployModel: ArtifactName = "model:deploy"
  /// The pruned, fine-tuned model (`model.json` with values, `weights.h5`).
  public static let compressedModel: ArtifactName = "model:compressed"
  /// The pruned model prepared for deployment (`model.deploy.json`), what quantization then reads.
  public static let compressedDeployModel: ArtifactName = "model:compressed-deploy"
  /// What pruning removed (`compression.json`).
  public static let compression: ArtifactName = "compression"
  /// Per-group pruning sensitivity curves (`sensitivity.json`, RunFormat's ``SensitivityRecord``).
  public static let sensitivity: ArtifactName = "sensitivity"
  /// The float model as ONNX (`model.onnx`).
  public static let onnxModel: ArtifactName = "onnx"
  /// The K210 kmodel V3 (`model.kmodel`).
  public static let kmodel: ArtifactName = "kmodel"
  /// The quantized model: integer parameters, the graph and the side table
  /// (`model.quantized.h5`, see ``QuantizedModelFile``).
  public static let quantizedModel: ArtifactName = "model:quantized"
  /// Per-tensor formats, calibration histograms and error diagnostics of the quantized model
  /// (`quantization.json`, RunFormat's ``QuantizationSummary``).
  public static let quantization: ArtifactName = "quantization"
  /// The KPIs of one model variant (`metrics.json` with one block named after the variant).
  public static func metrics(_ variant: ModelVariant) -> ArtifactName { metrics(block: variant.rawValue) }
  /// The KPIs of one block of `metrics.json` (a model variant, or a target check such as `k210`).
  public static func metrics(block: String) -> ArtifactName { ArtifactName("metrics:\(block)") }
  /// Whether this artifact is a block of the run's `metrics.json`.
  public var isMetrics: Bool { rawValue.hasPrefix("metrics:") }
}

/// A model variant whose KPIs are evaluated and reported side by side, with the same metric
/// definitions. Gates address them as `variant.metric`.
public enum ModelVariant: String, CaseIterable, Codable, Sendable {
  /// The trained float model.
  case float
  /// The pruned, fine-tuned float model.
  case compressed
  /// The quantized model, run by its scheme's integer reference executor.
  case quantized
  /// The exported K210 kmodel, run by the simulator of its bytes.
  case kmodel
}

/// An artifact a stage writes: its name and the files (relative to the stage's output folder)
/// that make it up. The first file is the artifact's main file.
public struct ArtifactOutput: Sendable, Equatable {
  public var name: ArtifactName
  public var files: [String]
  public init(_ name: ArtifactName, _ files: [String]) {
    self.name = name
    self.files = files
  }
}
