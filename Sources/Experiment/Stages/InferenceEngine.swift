import Autograd
import Graph
import GraphTraining
import KModel
import Quantization
import Tensors

/// What an evaluate stage runs for its model variant: the variant's graph (its input, output
/// names and shapes) and a function from an input batch to the graph's outputs. The float
/// variant runs the training executor in inference mode; the quantized variant runs its
/// scheme's integer reference executor (``SchemeQuantization/executor(for:)``), so every
/// variant is scored by the same evaluation code.
struct InferenceEngine {
  /// The graph whose outputs ``run`` returns.
  let graph: ModelGraph
  /// Runs one batch (graph inputs by name) and returns every graph output.
  let run: ([String: Tensor<Float>]) throws -> [String: Tensor<Float>]

  /// The float graph on GraphTraining's executor, without gradients.
  static func float(_ graph: ModelGraph, random: RandomStream) throws -> InferenceEngine {
    let executor = try GraphExecutor(graph: graph, random: random)
    return InferenceEngine(graph: graph) { inputs in
      let out = withoutGradients {
        executor.forward(inputs: inputs.mapValues { Variable($0) }, training: false)
      }
      return out.mapValues(\.value)
    }
  }

  /// A quantized model on its scheme's integer reference executor.
  static func quantized(_ model: QuantizedModel) throws -> InferenceEngine {
    let executor = try SchemeQuantization.executor(for: model)
    return InferenceEngine(graph: model.graph) { inputs in try executor.run(inputs: inputs) }
  }
}

extension InferenceEngine {
  /// A K210 kmodel run from its bytes, image by image, by the simulator of its version: a V5
  /// (identifier 'KMDL') by ``kmodelV5(bytes:graph:)``; a V3 by ``KModel/KModelV3Simulator``,
  /// each image quantized with the first KPU layer's input format (as the K210 executor does);
  /// the file's float outputs are the graph's outputs.
  static func kmodel(bytes: [UInt8], quantized: QuantizedModel) throws -> InferenceEngine {
    let graph = quantized.graph
    if bytes.starts(with: Array("LDMK".utf8)) { return try kmodelV5(bytes: bytes, graph: graph) }
    let simulator = try KModelV3Simulator(bytes: bytes)
    guard let executor = try SchemeQuantization.executor(for: quantized) as? K210Executor,
      let first = graph.nodes.first, let layer = executor.layers[first.name], let input = graph.inputs.first
    else {
      throw StageError.failed("the kmodel variant needs a k210-quantized model whose first node is a KPU convolution")
    }
    let format = layer.quantized.input
    return InferenceEngine(graph: graph) { inputs in
      guard let x = inputs[input.name], let n = x.shape.first, n > 0 else { return [:] }
      let per = x.count / n
      var flat = [[Float]](repeating: [], count: graph.outputs.count)
      for image in 0..<n {
        let codes = x.scalars[(image * per)..<((image + 1) * per)].map { format.quantize($0) }
        for (k, values) in try simulator.run(codes).enumerated() where k < flat.count { flat[k] += values }
      }
      var result: [String: Tensor<Float>] = [:]
      for (k, output) in graph.outputs.enumerated() {
        let shape = [n] + (graph.shape(of: output.name)?.dropFirst() ?? [])
        result[output.name] = Tensor(shape: shape, scalars: flat[k])
      }
      return result
    }
  }

  /// A kmodel V5 run by ``KModel/KModelV5Simulator`` from its bytes, image by image: the file
  /// quantizes the float input itself.
  static func kmodelV5(bytes: [UInt8], graph: ModelGraph) throws -> InferenceEngine {
    let simulator = try KModelV5Simulator(bytes: bytes)
    guard let input = graph.inputs.first, simulator.outputShapes.count == graph.outputs.count else {
      throw StageError.failed(
        "the kmodel V5 has \(simulator.outputShapes.count) outputs; the model has \(graph.outputs.count)")
    }
    return InferenceEngine(graph: graph) { inputs in
      guard let x = inputs[input.name], let n = x.shape.first, n > 0 else { return [:] }
      let per = x.count / n
      var flat = [[Float]](repeating: [], count: graph.outputs.count)
      for image in 0..<n {
        for (k, values) in try simulator.run(Array(x.scalars[(image * per)..<((image + 1) * per)])).enumerated() {
          flat[k] += values
        }
      }
      var result: [String: Tensor<Float>] = [:]
      for (k, output) in graph.outputs.enumerated() {
        result[output.name] = Tensor(shape: [n] + simulator.outputShapes[k].dropFirst(), scalars: flat[k])
      }
      return result
    }
  }
}
