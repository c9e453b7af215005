import Datasets
import Foundation
import Graph
import Support

/// `model`: builds the network from the zoo (or a definition file) for the data: class count
/// from the dataset, input size from `model.resolution` or the images, width and depth
/// multipliers applied. Writes the graph (`model.json`), its cost table (`cost.json`,
/// `cost.txt`) and diagrams (`graph.mmd`, `graph.dot`).
public struct ModelStage: Stage {
  public let name = "model"
  public let inputs = ["data"]
  public init() {}

  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    var o = e.document["model"]?.objectValue ?? [:]
    // the definition's content (file on disk or the copy compiled into the library) is part of
    // the key; where a definition file lives is not
    o["definition_sha256"] = .string((try? ModelZoo.definition(e.settings.model.zoo).sha256) ?? "unreadable")
    if e.settings.model.zoo.hasSuffix(".json") { o["zoo"] = nil }
    return .object(o)
  }

  public func run(_ context: StageContext) throws {
    let data = try DatasetFile(path: context.input("data").appendingPathComponent("dataset.h5").path)
    let graph = try Self.build(context.settings, data: data)
    try AtomicWrite.writeJSON(graph, to: context.output.appendingPathComponent("model.json"), snakeCase: false)
    let cost = try CostAnalysis.analyze(graph)
    try AtomicWrite.write(cost.renderText(), to: context.output.appendingPathComponent("cost.txt"))
    try AtomicWrite.writeJSON(Self.costJSON(cost), to: context.output.appendingPathComponent("cost.json"))
    try AtomicWrite.write(graph.mermaid(), to: context.output.appendingPathComponent("graph.mmd"))
    try AtomicWrite.write(graph.dot(), to: context.output.appendingPathComponent("graph.dot"))
    context.progress.line(String(format: "  %@: %.3f M parameters, %.1f M MACs, peak activations %.1f KiB",
                                 graph.name, Double(cost.totalParameters) / 1e6, Double(cost.totalMACs) / 1e6,
                                 Double(cost.peakActivationBytes) / 1024))
  }

  static func build(_ s: ExperimentSettings, data: DatasetFile) throws -> ModelGraph {
    let size = s.model.resolution > 0 ? s.model.resolution : s.data.imageSize
    let classes: Int? = data.kind == .identity ? nil : data.classNames.count
    let graph = try ModelZoo.graph(s.model.zoo, options: BuildOptions(width: s.model.width, depth: s.model.depth, classes: classes, inputSize: [size, size]))
    guard let input = graph.inputs.first, input.shape.count == 4 else {
      throw StageError.failed("model \(s.model.zoo) has no NCHW image input")
    }
    let splitName = data.splitNames.first ?? "train"
    let channels = try data.split(splitName).channels
    if input.shape[1] != channels && !(input.shape[1] == 1 || input.shape[1] == 3) {
      throw StageError.failed("model \(s.model.zoo) takes \(input.shape[1]) input channels, which cannot be made from the data's \(channels)")
    }
    return graph
  }

  static func costJSON(_ cost: CostReport) -> JSONValue {
    .object([
      "model": .string(cost.model),
      "layers": .array(cost.layers.map { l in
        .object(["name": .string(l.node), "op": .string(l.op.rawValue), "output_shape": .array(l.outputShape.map { .number(Double($0)) }),
                 "parameters": .number(Double(l.parameters)), "macs": .number(Double(l.macs)),
                 "activation_bytes": .number(Double(l.activationBytes))])
      }),
      "totals": .object(["parameters": .number(Double(cost.totalParameters)), "macs": .number(Double(cost.totalMACs)),
                         "activation_bytes": .number(Double(cost.totalActivationBytes)),
                         "peak_activation_bytes": .number(Double(cost.peakActivationBytes)),
                         "peak_node": .string(cost.peakNode)]),
    ])
  }
}
