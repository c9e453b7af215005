import Autograd
import Datasets
import Foundation
import Geometry
import Graph
import GraphTraining
import Images
import Metrics
import Quantization
import RunFormat
import Support

/// `evaluate-<variant>`: one model variant's KPIs on the evaluation split, with the metric
/// definitions named. One stage type serves every variant (float now; compressed, quantized and
/// each hardware target later), so all variants are measured by the same code and definitions. Detection: YOLO decoding, class-aware NMS and COCO-style matching under the chosen AP
/// definition (`detection.json`, the Metrics report format). Identity data: LFW-protocol
/// ten-fold verification (`verification.json`).
///
/// `metrics.json` holds the headline numbers as `{"<variant>": {...}, "definitions": {...}}`;
/// the runner merges every variant's block into the run's `metrics.json`, which gates read.
public struct EvaluateStage: Stage {
  /// The model variant evaluated.
  public let variant: ModelVariant
  public var name: String { "evaluate-\(variant.rawValue)" }
  public var reads: [ArtifactName] {
    [.dataset, Self.model(of: variant)] + (variant == .kmodel ? [.quantizedModel] : [])
  }
  public var writes: [ArtifactOutput] { [ArtifactOutput(.metrics(variant), [RunLayout.File.metrics])] }

  public init(variant: ModelVariant) { self.variant = variant }

  /// The artifact holding the variant's model.
  static func model(of variant: ModelVariant) -> ArtifactName {
    switch variant {
    case .float: return .trainedModel
    case .compressed: return .compressedModel
    case .quantized: return .quantizedModel
    case .kmodel: return .kmodel
    }
  }

  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    var o = e.document["evaluate"]?.objectValue ?? [:]
    o["gates"] = nil  // gates judge the result; they do not change it
    return .object(o)
  }

  public func run(_ context: StageContext) throws {
    let s = context.settings
    let dataPath = try context.artifact(.dataset).path
    let data = try DatasetFile(path: dataPath)
    let executor: InferenceEngine
    switch variant {
    case .float:
      executor = try .float(ModelGraph.read(context.artifact(.trainedModel)), random: context.rng.split("init"))
    case .compressed:
      executor = try .float(ModelGraph.read(context.artifact(.compressedModel)), random: context.rng.split("init"))
    case .quantized:
      executor = try .quantized(QuantizedModelFile.load(context.artifact(.quantizedModel).path))
    case .kmodel:
      executor = try .kmodel(
        bytes: [UInt8](FileSystem.read(context.artifact(.kmodel).path, "the kmodel")),
        quantized: QuantizedModelFile.load(context.artifact(.quantizedModel).path))
    }
    let graph = executor.graph
    let splitName = s.evaluate.split.rawValue
    guard data.splitNames.contains(splitName) else {
      throw StageError.failed(
        "the dataset has no `\(splitName)` split to evaluate (it has \(data.splitNames.joined(separator: ", "))); set evaluate.split"
      )
    }
    let config = LoaderConfig(feeding: graph, batchSize: s.evaluate.batchSize, shuffle: false)
    let loader = try DataLoader(path: dataPath, split: splitName, config: config, random: context.rng.split("data"))
    let block: KPIBlock
    switch data.kind {
    case .identity:
      block = try verification(executor: executor, loader: loader, split: try data.split(splitName), context: context)
    case .detection:
      block = try detection(
        executor: executor, loader: loader, split: try data.split(splitName), classNames: data.classNames,
        context: context)
    case .classification:
      block = try ClassificationEvaluation.run(
        executor: executor, loader: loader, split: try data.split(splitName), classNames: data.classNames,
        stage: self, context: context)
    }
    let metrics = JSONValue.object([variant.rawValue: .object(block.kpis), "definitions": .object(block.definitions)])
    try AtomicWrite.writeJSON(metrics, to: context.outputFile(RunLayout.File.metrics))
  }

  /// Runs the model over the split in inference mode, calling `body` with each batch's outputs.
  func infer(
    _ executor: InferenceEngine, _ loader: DataLoader, _ context: StageContext,
    _ body: (Datasets.Batch, [String: Tensor<Float>]) throws -> Void
  ) throws {
    guard let input = executor.graph.inputs.first?.name else { return }
    let it = loader.epoch(0)
    var done = 0
    while let batch = try it.next() {
      try context.checkCancellation()
      try body(batch, try executor.run([input: batch.images]))
      done += batch.count
      context.progress.status("  evaluating \(done)/\(loader.count) images")
    }
  }
}

/// One variant's KPIs and what each means, as written to `metrics.json`.
struct KPIBlock {
  var kpis: [String: JSONValue]
  var definitions: [String: JSONValue]
}
