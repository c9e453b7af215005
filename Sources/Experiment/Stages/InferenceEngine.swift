import Autograd
import Graph
import GraphTraining
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
