import ArgumentParser
import Experiment
import Foundation
import Graph
import GraphHDF5
import ONNX
import Quantization
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
        Node, input and output names are the graph's; the batch axis is symbolic (N). With \
        --variant quantized, MODEL is a quantized model of the int8 scheme (a run folder's \
        stages/quantize/model.quantized.h5, that file, or a QuantizedModel JSON) and the file is written in QDQ form (QuantizeLinear/DequantizeLinear pairs, int8 \
        weights per output channel, int32 biases), which ONNX Runtime runs with integer kernels.
        """)

    /// Which form of the model is written.
    enum Variant: String, ExpressibleByArgument, CaseIterable {
      /// float32 weights and arithmetic.
      case float
      /// An int8-scheme quantized model in QDQ form.
      case quantized
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
      let data: Data, graph: ModelGraph
      switch variant {
      case .float:
        graph = try ModelArtifact.load(Infer.modelFile(model))
        data = try ONNXExporter.export(graph, options: ONNXExportOptions(opset: opset, foldBatchNorm: foldBatchnorm))
      case .quantized:
        let quantized = try Self.quantizedModel(model)
        graph = quantized.graph
        data = try QDQExporter.export(quantized, opset: opset)
      }
      try AtomicFile.write(data, to: out, "the ONNX file")
      print("wrote \(out) (\(graph.name), \(graph.nodes.count) nodes, opset \(opset), \(data.count) bytes)")
    }

    /// A quantized model: a run folder's or a `model.quantized.h5`, or a JSON file
    /// (`QuantizedModel`'s Codable form).
    static func quantizedModel(_ path: String) throws -> QuantizedModel {
      let file = Infer.quantizedModelFile(path)
      if !file.hasSuffix(".json") { return try QuantizedModelFile.load(file) }
      let data = try FileSystem.read(path, "the quantized model")
      do {
        return try JSONDecoder().decode(QuantizedModel.self, from: data)
      } catch {
        throw ValidationError(
          "\(path) is not a quantized model JSON (a QuantizedModel with graph, table and fusedActivations): \(error)")
      }
    }
  }
}
