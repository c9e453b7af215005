/// Where things are in a run folder (`Reports/<experiment>/<run-id>/`): the one list of file
/// and stage names that the runner and stages write and reports read.
///
/// Each stage's outputs are in `stages/<stage>/`; measurements of one execution (wall time,
/// images/s) are in `stages/<stage>/volatile/`, kept but not part of any hash.
public enum RunLayout {
  /// The resolved experiment.
  public static let experiment = "experiment.json"
  /// The run manifest (``RunManifest``).
  public static let manifest = "manifest.json"
  /// Command-line overrides, `["train.epochs=3", …]`.
  public static let overrides = "overrides.json"
  /// KPIs of every model variant and their definitions (``RunMetrics``).
  public static let metrics = "metrics.json"
  /// The folder of one execution's measurements inside a stage folder.
  public static let volatileFolder = "volatile"

  /// Stage names.
  public enum Stage {
    public static let data = "data"
    public static let model = "model"
    public static let train = "train"
    /// The static K210 check (`simulate.k210`).
    public static let checkK210 = "check-k210"
    /// The deployed model's K210 time and frame pipeline (`simulate.k210`).
    public static let simulateK210 = "simulate-k210"
    /// Deployment files (`export`).
    public static let export = "export"
    /// Structured pruning (`compress`).
    public static let compress = "compress"
    /// Per-group pruning sensitivity (`compress.prune.ratios: "sensitivity"` or
    /// `compress.prune.sensitivity`).
    public static let sensitivity = "sensitivity"
    /// Post-training quantization (`quantize`).
    public static let quantize = "quantize"
    /// The evaluation of one model variant (`float`, later `quantized`, `k210`, …).
    public static func evaluate(_ variant: String) -> String { "evaluate-\(variant)" }
  }

  /// File names inside stage folders.
  public enum File {
    /// The dataset (data stage).
    public static let dataset = "dataset.h5"
    /// The dataset summary, ``DataSummary`` (data stage).
    public static let dataSummary = "summary.json"
    /// A grid of sample images: ground truth (data stage) or predictions (evaluate stages).
    public static let samples = "samples.png"
    /// A graph in the IR's JSON form (model and train stages).
    public static let model = "model.json"
    /// The trained graph prepared for deployment, BatchNorm folded (train stage).
    public static let deployModel = "model.deploy.json"
    /// The trained weights (train stage).
    public static let weights = "weights.h5"
    /// Per-layer costs, ``ModelCost`` (model stage).
    public static let cost = "cost.json"
    /// The model graph as Mermaid text (model stage).
    public static let graphMermaid = "graph.mmd"
    /// Per-epoch history, ``TrainingHistory`` (train stage; with timing under `volatile/`).
    public static let history = "history.json"
    /// Metrics' `workbench.detection-report` (evaluate stages).
    public static let detection = "detection.json"
    /// Metrics' `workbench.verification-report` (evaluate stages).
    public static let verification = "verification.json"
    /// Pair distances for the matched/mismatched histograms (evaluate stages).
    public static let verificationDistances = "verification_distances.json"
    /// Metrics' `workbench.classification-report` (evaluate stages).
    public static let classification = "classification.json"
    /// The static K210 check, ``K210CheckSummary`` (check-k210 stage).
    public static let k210Check = "k210-check.json"
    /// The deployed model's K210 time and frame pipeline, ``K210SimulationSummary``
    /// (simulate-k210 stage).
    public static let k210Simulation = "k210-simulation.json"
    /// The float model as ONNX (export stage).
    public static let onnx = "model.onnx"
    /// The K210 kmodel V3 (export stage).
    public static let kmodel = "model.kmodel"
    /// Compression's `CompressionSummary` (compress stage).
    public static let compression = "compression.json"
    /// The sensitivity curves, ``SensitivityRecord`` (sensitivity stage).
    public static let sensitivity = "sensitivity.json"
    /// The quantized model (quantize stage): integer parameters, graph and side table in HDF5.
    public static let quantizedModel = "model.quantized.h5"
    /// Formats, histograms and per-tensor errors of the quantized model, ``QuantizationSummary``.
    public static let quantization = "quantization.json"
    /// One variant's KPIs (evaluate stages); the run's ``RunLayout/metrics`` merges them.
    public static let metrics = "metrics.json"
  }

  /// The folder of stage `stage`, relative to the run folder.
  public static func folder(_ stage: String) -> String { "stages/\(stage)" }

  /// The path of `file` in stage `stage`'s folder, relative to the run folder.
  public static func path(_ stage: String, _ file: String) -> String { "\(folder(stage))/\(file)" }

  /// The path of `file` in the `volatile/` folder of stage `stage`, relative to the run folder.
  public static func volatilePath(_ stage: String, _ file: String) -> String {
    "stages/\(stage)/\(volatileFolder)/\(file)"
  }
}
