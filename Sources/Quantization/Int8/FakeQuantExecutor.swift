import Graph
import Tensors

/// The fake-quant float executor: Graph's float evaluation with every quantized tensor passed
/// through quantize → dequantize (its table format), conv and dense weights and biases
/// replaced by their dequantized integers, and fused activations applied before the layer's
/// output is quantized — the same rounding points as ``IntegerExecutor``, in float.
///
/// Relation to the integer executor (asserted by the tests): given the same (dequantized)
/// inputs, each node's output codes agree within 1 LSB, and nearly always exactly. They differ
/// only where the real result lies within float error of a rounding tie: the fake-quant conv
/// sums products in float (relative error ~1e-7), the integer one exactly, and requantization
/// multiplies by a 31-bit multiplier instead of the real s_in·s_w/s_out. Max pool, upsample,
/// reshape, unfused ReLUs and the float islands agree exactly.
///
/// The same executor serves `gap8-sq8` and `gap8-pow2` models (int16 parameters included);
/// their relation to their integer executors is stated on ``SQ8Executor`` and ``Pow2Executor``.
public struct FakeQuantExecutor: QuantizedInference {
  /// The model run.
  public let model: QuantizedModel

  /// Prepares an executor.
  public init(_ model: QuantizedModel) { self.model = model }

  /// The scheme of the model's table.
  public var scheme: QuantizationScheme { model.table.scheme }

  /// Runs the graph and returns the graph outputs (each fake-quantized); `observe` receives
  /// every value.
  public func run(
    inputs: [String: Tensor<Float>], observe: (String, Tensor<Float>) -> Void
  ) throws -> [String: Tensor<Float>] {
    let env = try runAll(inputs: inputs, observe: observe)
    var results: [String: Tensor<Float>] = [:]
    for output in model.graph.outputs { results[output.name] = env[output.name] }
    return results
  }

  /// Runs the graph and returns every value, calling `observe` for each.
  @discardableResult
  public func runAll(
    inputs feeds: [String: Tensor<Float>], observe: (String, Tensor<Float>) -> Void = { _, _ in }
  ) throws -> [String: Tensor<Float>] {
    try GraphWalk.run(
      model.graph, feeds: feeds, input: { info, x in try fakeQuantize(x, info.name) },
      node: { node, xs in try evaluate(node, inputs: xs) }, observe: observe)
  }

  /// One node in float on (already fake-quantized) inputs; the output is fake-quantized in the
  /// node's stored format, a fused activation applied first.
  public func evaluate(_ node: Node, inputs xs: [Tensor<Float>]) throws -> Tensor<Float> {
    let graph = model.graph
    if model.fusedActivations.values.contains(node.name) { return xs[0] }
    var params: [String: Tensor<Float>] = [:]
    for (key, role, parameter) in graph.parameters(of: node) {
      params[role] = try dequantized(parameter, key)
    }
    var y = node.op.semantics.evaluate(node, inputs: xs, parameters: params)[0]
    if let act = model.fusedActivations[node.name], let actNode = graph.node(named: act) {
      y = actNode.op.semantics.evaluate(actNode, inputs: [y], parameters: [:])[0]
    }
    return try fakeQuantize(y, model.storedOutput(of: node))
  }

  /// quantize → dequantize with the format of `name`.
  func fakeQuantize(_ x: Tensor<Float>, _ name: String) throws -> Tensor<Float> {
    guard let q = model.table[name] else {
      throw QuantizationError.missingQuantization(graph: model.graph.name, tensor: name)
    }
    return x.map { q.dequantize(q.quantize($0)) }
  }

  /// The float value of a parameter: dequantized when integer.
  func dequantized(_ parameter: Parameter, _ key: String) throws -> Tensor<Float> {
    let graph = model.graph
    switch parameter.data {
    case let .float32(t)?: return t
    case let .int8(t)?: return try dequantized(t.shape, t.scalars.map(Int.init), key)
    case let .int16(t)?: return try dequantized(t.shape, t.scalars.map(Int.init), key)
    case let .int32(t)?: return try dequantized(t.shape, t.scalars.map(Int.init), key)
    default:
      throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: key)
    }
  }

  /// Integer codes of parameter `key` dequantized with its table format (per channel if so).
  func dequantized(_ shape: [Int], _ codes: [Int], _ key: String) throws -> Tensor<Float> {
    guard let q = model.table[key] else {
      throw QuantizationError.missingQuantization(graph: model.graph.name, tensor: key)
    }
    return Tensor(
      shape: shape, generating: { i in q.dequantize(codes[i], channel: q.channel(ofFlatIndex: i, shape: shape)) })
  }
}
