import Graph
import Tensors

/// An integer executor whose values are codes of one integer type, each in its side-table
/// format (``IntegerExecutor``, ``SQ8Executor``, ``Pow2Executor``): it evaluates one node on
/// codes, and this protocol walks the graph (graph inputs quantized with their table format)
/// and turns the codes into the dequantized values ``QuantizedInference`` returns.
public protocol CodeExecutor: QuantizedInference {
  /// The integer type of the codes.
  associatedtype Code: BinaryInteger & TensorScalar
  /// The model run.
  var model: QuantizedModel { get }
  /// One node on codes (inputs in their table formats, output in the node's stored format).
  func evaluate(_ node: Node, inputs: [Tensor<Code>]) throws -> Tensor<Code>
}

extension CodeExecutor {
  /// The table format of `name`.
  /// - Throws: ``QuantizationError/missingQuantization(graph:tensor:)`` when it has none.
  func format(_ name: String) throws -> TensorQuantization {
    guard let q = model.table[name] else {
      throw QuantizationError.missingQuantization(graph: model.graph.name, tensor: name)
    }
    return q
  }

  /// An op that only moves values (max pooling, upsample, views) evaluated on the codes
  /// themselves: exact in any format.
  func moveCodes(_ node: Node, _ x: Tensor<Code>) -> Tensor<Code> {
    node.op.semantics.evaluate(node, inputs: [x.map { Float($0) }], parameters: [:])[0].map { Code($0) }
  }

  /// An op without an integer kernel, in float: its inputs dequantized from their formats, its
  /// output quantized to its own.
  func floatFallback(_ node: Node, _ xs: [Tensor<Code>]) throws -> Tensor<Code> {
    let floats = try zip(xs, node.inputs).map { x, name in
      let q = try format(name)
      return x.map { q.dequantize(Int($0)) }
    }
    let y = node.op.semantics.evaluate(
      node, inputs: floats, parameters: try ValueTrace.floatParameters(model.graph, node))[0]
    let out = try format(node.outputs[0])
    return y.map { Code(truncatingIfNeeded: out.quantize($0)) }
  }

  /// Runs the graph and returns the codes of every value (a fused layer's output value holds
  /// the codes of its activation's format), calling `observe` for each as it is computed.
  @discardableResult
  public func runCodes(
    inputs feeds: [String: Tensor<Float>], observe: (String, Tensor<Code>) -> Void = { _, _ in }
  ) throws -> [String: Tensor<Code>] {
    try GraphWalk.run(
      model.graph, feeds: feeds,
      input: { info, x in
        let q = try format(info.name)
        return x.map { Code(truncatingIfNeeded: q.quantize($0)) }
      },
      node: { node, xs in try evaluate(node, inputs: xs) }, observe: observe)
  }

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
