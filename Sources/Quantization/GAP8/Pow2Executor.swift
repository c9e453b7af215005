import Graph
import Tensors

/// The `gap8-pow2` integer reference executor: graph inputs are quantized with their Qm.n
/// format (⌊x·2ⁿ + ½⌋, clamped), every node runs on int16 codes (int8 formats hold int8 values)
/// with the arithmetic of ``Pow2Layers`` and ``Pow2Ops`` — AutoTiler's 16-bit kernels, non-DP
/// convolutions unless the model was quantized with ``QuantizationOptions/doublePrecision`` —
/// and graph outputs are dequantized (code · 2⁻ⁿ).
///
/// Max pool, upsample, flatten, reshape, dropout and identity move or select codes exactly;
/// sigmoid, tanh, L2-normalize and unfolded BatchNorm are float islands (dequantize, float op,
/// quantize), as in the `int8` executor.
///
/// Relation to ``FakeQuantExecutor`` (float ops on dequantized values, quantize → dequantize at
/// every tensor; asserted by the tests): fed the same inputs, a DP convolution, dense, ReLU,
/// pools, moves and islands agree within 1 LSB, and nearly always exactly — the integer
/// conv computes exactly ⌊y·2ⁿ + ½⌋ of the real result y of the dequantized operands (norm ≥ 0),
/// the float one differs only within float error of a tie; an add or an unfolded concat input
/// rounds each input before summing (still within 1 LSB, the difference being an integer below
/// 1.5). Average pooling multiplies by ⌊2¹⁶/d⌋/2¹⁶ instead of 1/d and leaky ReLU by
/// 409/4096 instead of 0.1, which adds |y| times that constant's error. A non-DP convolution rounds after each of its
/// C input channels (per group), so it differs from the single rounding by less than
/// C/2 + 1 LSB (each channel's rounding error is within ±½ LSB), and saturation after a
/// channel can make it differ more, as on GAP8.
public struct Pow2Executor: CodeExecutor {
  /// The model run.
  public let model: QuantizedModel
  /// Convolutions accumulate all input channels before one normalization (AutoTiler
  /// `KOP_CONV_DP`) instead of clipping after each (`KOP_CONV`).
  public let doublePrecision: Bool

  /// Ops the executor runs.
  public static let supported: Set<OpKind> = Pow2Quantizer.formatKeeping.union(Pow2Quantizer.floatIslands)
    .union([.conv, .dense, .add, .concat])

  /// Prepares an executor; `doublePrecision` defaults to the model's quantization options.
  /// - Throws: ``QuantizationError/unsupportedOp(graph:node:op:scheme:)`` for an op it cannot run.
  public init(_ model: QuantizedModel, doublePrecision: Bool? = nil) throws {
    for node in model.graph.nodes where !Self.supported.contains(node.op) {
      throw QuantizationError.unsupportedOp(
        graph: model.graph.name, node: node.name, op: node.op.rawValue, scheme: .gap8Pow2)
    }
    self.model = model
    self.doublePrecision = doublePrecision ?? model.options?.doublePrecision ?? false
  }

  /// The scheme: `gap8-pow2`.
  public var scheme: QuantizationScheme { .gap8Pow2 }

  /// One node on codes (inputs in their table formats, output in the node's format).
  public func evaluate(_ node: Node, inputs xs: [Tensor<Int16>]) throws -> Tensor<Int16> {
    switch node.op {
    case .conv: return try Pow2Layers.conv(node, xs[0], model, doublePrecision: doublePrecision)
    case .dense: return try Pow2Layers.dense(node, xs[0], model)
    case .relu, .relu6: return Pow2Ops.relu(node, xs[0], try format(node.inputs[0]))
    case .leakyRelu: return Pow2Ops.leakyRelu(node, xs[0], try format(node.inputs[0]))
    case .avgPool: return Pow2Ops.avgPool(node, xs[0], try format(node.inputs[0]))
    case .globalAvgPool: return Pow2Ops.globalAvgPool(xs[0], try format(node.inputs[0]))
    case .add:
      return Pow2Ops.add(
        xs[0], xs[1], try format(node.inputs[0]), try format(node.inputs[1]), try format(node.outputs[0]))
    case .concat:
      let out = try format(node.outputs[0])
      let parts = try zip(xs, node.inputs).map { x, name in Pow2Ops.align(x, from: try format(name), to: out) }
      return Tensor.concat(parts, axis: node.int("axis"))
    case .maxPool, .upsample, .flatten, .reshape, .dropout, .identity:
      return moveCodes(node, xs[0])
    default:
      return try floatFallback(node, xs)
    }
  }
}
