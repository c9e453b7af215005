import Graph
import Tensors

/// The int8 scheme's integer reference executor: graph inputs are quantized with their table
/// format, every node then runs on uint8 codes with integer weights, int32 accumulators and the
/// scheme's requantization (``Int8Quantizer``), and graph outputs are dequantized. Its outputs
/// are the "quantized KPIs".
///
/// Sigmoid, tanh, L2-normalize and unfolded BatchNorm are the exception: they run in float
/// between dequantize and quantize (on a microcontroller they would be lookup tables).
public struct IntegerExecutor: CodeExecutor {
  /// The model run.
  public let model: QuantizedModel

  /// Ops the executor runs.
  public static let supported: Set<OpKind> = Int8Quantizer.passthrough.union(Int8Quantizer.floatIslands)
    .union([.conv, .dense, .relu, .relu6, .leakyRelu, .add, .concat])

  /// Prepares an executor.
  /// - Throws: ``QuantizationError/unsupportedOp(graph:node:op:scheme:)`` for an op it cannot run.
  public init(_ model: QuantizedModel) throws {
    for node in model.graph.nodes where !Self.supported.contains(node.op) {
      throw QuantizationError.unsupportedOp(
        graph: model.graph.name, node: node.name, op: node.op.rawValue, scheme: .int8)
    }
    self.model = model
  }

  /// The scheme: `int8`.
  public var scheme: QuantizationScheme { model.table.scheme }
  /// One node on codes (inputs in their table formats, output in the node's stored format).
  public func evaluate(_ node: Node, inputs xs: [Tensor<UInt8>]) throws -> Tensor<UInt8> {
    switch node.op {
    case .conv: return try IntegerLayers.conv(node, xs[0], model)
    case .dense: return try IntegerLayers.dense(node, xs[0], model)
    case .relu, .relu6:
      if model.fusedActivations.values.contains(node.name) { return xs[0] }
      return IntegerOps.relu(node, xs[0], try format(node.inputs[0]))
    case .leakyRelu:
      return try IntegerOps.leakyRelu(node, xs[0], try format(node.inputs[0]), try format(node.outputs[0]))
    case .add:
      return IntegerOps.add(
        xs[0], xs[1], try format(node.inputs[0]), try format(node.inputs[1]), try format(node.outputs[0]))
    case .concat:
      let out = try format(node.outputs[0])
      let parts = try zip(xs, node.inputs).map { x, name in IntegerOps.requantize(x, from: try format(name), to: out) }
      return Tensor.concat(parts, axis: node.int("axis"))
    case .avgPool: return IntegerOps.avgPool(node, xs[0], try format(node.inputs[0]))
    case .globalAvgPool: return IntegerOps.globalAvgPool(xs[0], try format(node.inputs[0]))
    // max pool, upsample and views select codes by comparing them (q ↦ s·(q − z) is
    // increasing); sigmoid, tanh, L2-normalize and unfolded BatchNorm are float islands
    case .maxPool, .upsample, .flatten, .reshape, .dropout, .identity: return moveCodes(node, xs[0])
    default: return try floatFallback(node, xs)
    }
  }
}
