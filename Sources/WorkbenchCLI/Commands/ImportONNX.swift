import ArgumentParser
import Foundation
import Graph
import GraphHDF5
import ONNX
import Support

extension Workbench {
  /// `workbench import onnx model.onnx --out DIR`: an ONNX model (e.g. from PyTorch) as
  /// Workbench's `model.json` (graph with weights) and `weights.h5`.
  struct ImportONNX: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "onnx",
      abstract: "Import an ONNX model as model.json (graph with weights) and weights.h5.",
      discussion: """
        Reads what PyTorch's exporter writes (opsets 9–21) for Workbench's op set: Conv (with \
        groups), BatchNormalization, Relu, LeakyRelu, Sigmoid, Tanh, Clip (as ReLU/ReLU6), \
        pooling, Gemm/MatMul, Add, Concat, Flatten/Reshape, Resize (nearest), Pad before Conv; \
        shape arithmetic is evaluated at import. Anything else is an error naming the node.
        """)

    @Argument(help: "The ONNX file.")
    var model: String
    @Option(help: "The folder to write model.json and weights.h5 into (created).")
    var out: String

    func run() throws {
      let graph = try ONNXImporter.importModel(contentsOf: model)
      let folder = URL(fileURLWithPath: out)
      try FileSystem.createFolder(folder, "the output folder")
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      try AtomicFile.write(try encoder.encode(graph), to: folder.appendingPathComponent("model.json"), "model.json")
      try WeightFile.save(graph, to: folder.appendingPathComponent("weights.h5").path)
      let count = graph.parameters.values.reduce(0) { $0 + $1.count }
      print("imported \(graph.name): \(graph.nodes.count) nodes, \(count) parameters → \(out)/model.json, weights.h5")
    }
  }
}
