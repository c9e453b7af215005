import Datasets
import Foundation
import Graph
import GraphHDF5
import RunFormat
import Support

/// `model`: builds the network from the zoo (or a definition file) for the data: class count
/// from the dataset, input size from `model.input_size` or the images, then the width, depth
/// and resolution multipliers applied — or imports `model.onnx` with its weights
/// (``ImportedModel``). Writes the graph (`model.json`; with parameter values when imported,
/// plus `weights.h5`), its cost table (`cost.json`, `cost.txt`) and diagrams (`graph.mmd`,
/// `graph.dot`).
public struct ModelStage: Stage {
  public let name = "model"
  public let reads: [ArtifactName] = [.dataset]
  /// Whether the model is imported from `model.onnx` (and so comes with its weights).
  public let imported: Bool
  public var writes: [ArtifactOutput] {
    [ArtifactOutput(.model, [RunLayout.File.model] + (imported ? [RunLayout.File.weights] : []))]
  }
  public init(imported: Bool = false) { self.imported = imported }

  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    var o = e.document["model"]?.objectValue ?? [:]
    if let onnx = e.settings.model.onnx {
      // the file's content is the key, not where it lives; zoo defaults do not apply
      o["onnx_sha256"] = .string((try? FileHash.file(URL(fileURLWithPath: onnx))) ?? "unreadable")
      for key in ["onnx"] + ModelSettings.zooKeys { o[key] = nil }
      return .object(o)
    }
    // the definition's content (file on disk or the copy compiled into the library) is part of
    // the key; where a definition file lives is not
    o["definition_sha256"] = .string((try? ModelZoo.definition(e.settings.model.zoo).sha256) ?? "unreadable")
    if e.settings.model.zoo.hasSuffix(".json") { o["zoo"] = nil }
    return .object(o)
  }

  public func run(_ context: StageContext) throws {
    let data = try DatasetFile(path: context.artifact(.dataset).path)
    let (graph, log) = try Self.cleanUp.run(Self.build(context.settings, data: data))
    try AtomicWrite.writeJSON(log, to: context.output.appendingPathComponent("passes.json"), snakeCase: false)
    try AtomicWrite.writeJSON(graph, to: context.outputFile(RunLayout.File.model), snakeCase: false)
    if imported { try WeightFile.save(graph, to: context.outputFile(RunLayout.File.weights).path) }
    let cost = try CostAnalysis.analyze(graph)
    try AtomicWrite.write(cost.renderText(), to: context.output.appendingPathComponent("cost.txt"))
    try AtomicWrite.writeJSON(Self.cost(cost), to: context.outputFile(RunLayout.File.cost), snakeCase: false)
    try AtomicWrite.write(graph.mermaid(), to: context.outputFile(RunLayout.File.graphMermaid))
    try AtomicWrite.write(graph.dot(), to: context.output.appendingPathComponent("graph.dot"))
    context.progress.line(
      String(
        format: "  %@: %.3f M parameters, %.1f M MACs, peak activations %.1f KiB",
        graph.name, Double(cost.totalParameters) / 1e6, Double(cost.totalMACs) / 1e6,
        Double(cost.peakActivationBytes) / 1024))
  }

  /// Passes every built graph goes through before training: validation and removal of nodes
  /// no output depends on (a definition may leave some, e.g. a cut-off classifier). Their log
  /// (`passes.json`) says what each changed. Deployment passes (BN folding, pruning) belong to
  /// the stages after training.
  static let cleanUp = PassPipeline([ValidateGraph.self, EliminateDeadNodes.self])

  static func build(_ s: ExperimentSettings, data: DatasetFile) throws -> ModelGraph {
    let classes: Int? = data.kind == .identity ? nil : data.classNames.count
    let splitName = data.splitNames.first ?? "train"
    return try build(s, kind: data.kind, classes: classes, channels: try data.split(splitName).channels)
  }

  /// The graph for data of `kind` with `classes` classes (nil for identity data) and `channels`
  /// channels.
  static func build(_ s: ExperimentSettings, kind: DatasetKind, classes: Int?, channels: Int) throws -> ModelGraph {
    if let onnx = s.model.onnx {
      return try ImportedModel.graph(path: onnx, settings: s.model, kind: kind, classes: classes, channels: channels)
    }
    let size = s.model.inputSize > 0 ? s.model.inputSize : s.data.imageSize
    let options = BuildOptions(
      width: s.model.width, depth: s.model.depth, resolution: s.model.resolution, classes: classes,
      inputSize: [size, size])
    let graph = try ModelZoo.graph(s.model.zoo, options: options)
    guard let input = graph.inputs.first, input.shape.count == 4 else {
      throw StageError.failed("model \(s.model.zoo) has no NCHW image input")
    }
    if input.shape[1] != channels && !(input.shape[1] == 1 || input.shape[1] == 3) {
      throw StageError.failed(
        "model \(s.model.zoo) takes \(input.shape[1]) input channels, which cannot be made from the data's \(channels)")
    }
    return graph
  }

  /// Graph's cost analysis in the run format (``ModelCost``).
  static func cost(_ cost: CostReport) -> ModelCost {
    ModelCost(
      model: cost.model,
      layers: cost.layers.map {
        ModelCost.Layer(
          name: $0.node, op: $0.op.rawValue, outputShape: $0.outputShape, parameters: $0.parameters,
          macs: $0.macs, activationBytes: $0.activationBytes)
      },
      totals: ModelCost.Totals(
        parameters: cost.totalParameters, macs: cost.totalMACs, activationBytes: cost.totalActivationBytes,
        peakActivationBytes: cost.peakActivationBytes, peakNode: cost.peakNode))
  }
}
