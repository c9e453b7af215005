import ArgumentParser
import Foundation
import GraphHDF5
import ONNX
import Support

extension Workbench {
  /// `workbench export onnx RUN_DIR|MODEL --out model.onnx`: the float model as ONNX, for ONNX
  /// Runtime, nncase or NNTool.
  struct ExportONNX: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "onnx",
      abstract: "Write a model as an ONNX file (opset 13+, NCHW, weights as initializers).",
      discussion: """
        MODEL is a run folder (its trained model), a model.json with weights or a weights.h5. \
        Node, input and output names are the graph's; the batch axis is symbolic (N).
        """)

    /// Which form of the model is written.
    enum Variant: String, ExpressibleByArgument, CaseIterable {
      /// float32 weights and arithmetic.
      case float
    }

    @Argument(help: "A run folder, a model.json with weights, or a weights.h5.")
    var model: String
    @Option(help: "The ONNX file to write.")
    var out: String
    @Option(help: "Variant: \(Variant.allCases.map(\.rawValue).joined(separator: ", ")).")
    var variant: Variant = .float
    @Option(help: "The ai.onnx operator set (13–21).")
    var opset: Int = 13
    @Flag(help: "Fold BatchNorm into the preceding convolutions (otherwise written as BatchNormalization).")
    var foldBatchnorm = false

    func run() throws {
      let graph = try ModelArtifact.load(Infer.modelFile(model))
      let options = ONNXExportOptions(opset: opset, foldBatchNorm: foldBatchnorm)
      let data: Data
      switch variant {
      case .float: data = try ONNXExporter.export(graph, options: options)
      }
      try AtomicFile.write(data, to: out, "the ONNX file")
      print("wrote \(out) (\(graph.name), \(graph.nodes.count) nodes, opset \(opset), \(data.count) bytes)")
    }
  }
}
