import Graph
import Tensors

/// An integer executor whose values are codes of one integer type, each in its side-table
/// format (``IntegerExecutor``, ``SQ8Executor``, ``Pow2Executor``): it computes the codes,
/// and this protocol turns them into the dequantized values ``QuantizedInference`` returns.
public protocol CodeExecutor: QuantizedInference {
  /// The integer type of the codes.
  associatedtype Code: BinaryInteger & TensorScalar
  /// The model run.
  var model: QuantizedModel { get }
  /// Runs the graph and returns the codes of every value, calling `observe` for each.
  func runCodes(
    inputs: [String: Tensor<Float>], observe: (String, Tensor<Code>) -> Void
  ) throws -> [String: Tensor<Code>]
}

extension CodeExecutor {
  /// Runs the graph and returns the dequantized graph outputs; `observe` receives every value
  /// that has a format in the side table, dequantized.
  public func run(
    inputs: [String: Tensor<Float>], observe: (String, Tensor<Float>) -> Void
  ) throws -> [String: Tensor<Float>] {
    let codes = try runCodes(inputs: inputs) { name, c in
      if let q = model.table[name] { observe(name, c.map { q.dequantize(Int($0)) }) }
    }
    var results: [String: Tensor<Float>] = [:]
    for output in model.graph.outputs {
      guard let q = model.table[output.name], let c = codes[output.name] else {
        throw QuantizationError.missingQuantization(graph: model.graph.name, tensor: output.name)
      }
      results[output.name] = c.map { q.dequantize(Int($0)) }
    }
    return results
  }
}
