import ArgumentParser
import Experiment
import Foundation
import Graph
import GraphHDF5
import HDF5
import Quantization
import RunFormat
import Support
import Tensors

extension Workbench {
  /// `workbench infer ARTIFACT --input … --output …`: runs a model artifact on given inputs and
  /// writes every graph output, the interface the cross-checks against other tools use.
  struct Infer: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run a model on given inputs and write every graph output to HDF5.",
      discussion: """
        ARTIFACT is a run folder, a model.json with weights, a weights.h5 or a quantized model \
        (model.quantized.h5 of the quantize stage). With --engine float a run folder means its \
        trained model; with int or fake-quant, its quantized model. The input is an HDF5 file with a float32 dataset /input of shape N×C×H×W, or a .npy \
        array (float32 or float64, C order) of that shape. The output file holds one float32 \
        dataset per graph output, named after it.
        """)

    /// The arithmetic that runs the model.
    enum Engine: String, ExpressibleByArgument, CaseIterable {
      /// Graph's float32 reference evaluation (inference semantics).
      case float
      /// The quantized model's scheme's integer reference executor (outputs dequantized).
      case int
      /// The quantized model in float with quantize → dequantize at every quantized tensor.
      case fakeQuant = "fake-quant"
    }

    @Argument(help: "A run folder, a model.json with weights, or a weights.h5.")
    var artifact: String
    @Option(help: "Input tensor: HDF5 with dataset /input, or .npy.")
    var input: String
    @Option(help: "Output HDF5 file.")
    var output: String
    @Option(help: "Engine: \(Engine.allCases.map(\.rawValue).joined(separator: ", ")).")
    var engine: Engine = .float

    func run() throws {
      let graph: ModelGraph
      let quantized: QuantizedModel?
      if engine == .float {
        graph = try ModelArtifact.load(Self.modelFile(artifact))
        quantized = nil
      } else {
        let model = try QuantizedModelFile.load(Self.quantizedModelFile(artifact))
        (graph, quantized) = (model.graph, model)
      }
      guard graph.inputs.count == 1, let name = graph.inputs.first?.name else {
        throw ValidationError("the model has \(graph.inputs.count) inputs; infer feeds models with exactly one")
      }
      let x = try Self.readInput(input)
      let outputs: [String: Tensor<Float>]
      switch (engine, quantized) {
      case (.int, let model?): outputs = try SchemeQuantization.executor(for: model).run(inputs: [name: x])
      case (.fakeQuant, let model?):
        outputs = try SchemeQuantization.fakeQuantExecutor(for: model).run(inputs: [name: x])
      default: outputs = try graph.evaluate(inputs: [name: x])
      }
      try Self.write(outputs, order: graph.outputs.map(\.name), to: output)
      for o in graph.outputs {
        print("\(o.name): \(outputs[o.name]?.shape.map(String.init).joined(separator: "×") ?? "?")")
      }
    }

    /// A run folder's trained model, or the file itself.
    static func modelFile(_ path: String) -> String {
      runFile(path, RunLayout.Stage.train, RunLayout.File.model)
    }

    /// A run folder's quantized model, or the file itself.
    static func quantizedModelFile(_ path: String) -> String {
      runFile(path, RunLayout.Stage.quantize, RunLayout.File.quantizedModel)
    }

    /// `file` of stage `stage` when `path` is a run folder, else `path` itself.
    static func runFile(_ path: String, _ stage: String, _ file: String) -> String {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
        return path
      }
      return URL(fileURLWithPath: path).appendingPathComponent(RunLayout.path(stage, file)).path
    }

    /// The input tensor from a `.npy` file or an HDF5 file's `/input`.
    static func readInput(_ path: String) throws -> Tensor<Float> {
      if path.hasSuffix(".npy") {
        let a = try NPYArray(contentsOf: path)
        return Tensor(shape: a.shape, scalars: a.scalars)
      }
      let file = try HDF5File.open(path)
      defer { try? file.close() }
      guard file.root.contains("input") else {
        throw ValidationError("\(path) has no dataset /input (an N×C×H×W float32 array)")
      }
      let dataset = try file.root.dataset("input")
      return Tensor(shape: dataset.shape, scalars: try dataset.read(as: Float.self))
    }

    /// Writes the outputs to a temporary file next to `path`, then renames it into place.
    static func write(_ outputs: [String: Tensor<Float>], order: [String], to path: String) throws {
      let url = URL(fileURLWithPath: path)
      try FileSystem.createFolder(url.deletingLastPathComponent(), "the output folder")
      let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
      do {
        let file = try HDF5File.create(at: tmp.path)
        for name in order {
          guard let t = outputs[name] else { continue }
          try file.root.write(t.scalars, shape: t.shape, to: name)
        }
        try file.close()
        try FileSystem.move(tmp.path, to: path, "the output file")
      } catch {
        try? FileManager.default.removeItem(at: tmp)
        throw error
      }
    }
  }
}
