import Graph
import Tensors

/// The `gap8-sq8` integer reference executor: graph inputs are quantized with their symmetric
/// int8 format, every node runs on int8 codes with int8 weights, int32 accumulators and the
/// uint8 `Scale`/`ScaleN` requantization of ``SQ8Quantizer``, and graph outputs are
/// dequantized. Add, concat and leaky ReLU rescale each input (each sign, for leaky ReLU) with
/// its own ``SQ8Multiplier`` and clip to int8; average pools use AutoTiler's
/// clip(roundnorm(Σ · ⌊2¹⁶/divisor⌋, 16)); max pool, upsample and the reshapes move codes;
/// sigmoid, tanh, L2-normalize and unfolded BatchNorm are float islands.
///
/// Relation to ``FakeQuantExecutor`` (asserted by the tests): fed the same inputs, each node's
/// codes agree within 1 LSB when its multipliers have 8 bits (K ≤ 512 products per
/// accumulator and a small bias): the multiplier's relative error is at most 2⁻⁸ (½ of a
/// multiplier of at least 128), which moves a result of at most 128 LSB by at most ½ LSB
/// before rounding; requantization rounds ties up where quantize rounds them away from zero,
/// and the float conv sums within float error. With fewer multiplier bits the bound grows to
/// 128 · 2^(−bits) + ½ LSB.
public struct SQ8Executor: CodeExecutor {
  /// The model run.
  public let model: QuantizedModel

  /// Ops the executor runs.
  public static let supported: Set<OpKind> = IntegerExecutor.supported

  /// Prepares an executor.
  /// - Throws: ``QuantizationError/unsupportedOp(graph:node:op:scheme:)`` for an op it cannot run.
  public init(_ model: QuantizedModel) throws {
    for node in model.graph.nodes where !Self.supported.contains(node.op) {
      throw QuantizationError.unsupportedOp(
        graph: model.graph.name, node: node.name, op: node.op.rawValue, scheme: .gap8Sq8)
    }
    self.model = model
  }

  /// The scheme: `gap8-sq8`.
  public var scheme: QuantizationScheme { .gap8Sq8 }

  /// One node on codes (inputs in their table formats, output in the node's stored format).
  public func evaluate(_ node: Node, inputs xs: [Tensor<Int8>]) throws -> Tensor<Int8> {
    switch node.op {
    case .conv: return try SQ8Layers.conv(node, xs[0], model)
    case .dense: return try SQ8Layers.dense(node, xs[0], model)
    case .relu, .relu6:
      if model.fusedActivations.values.contains(node.name) { return xs[0] }
      let c = SQ8Layers.activationClamp(node, try format(node.inputs[0]))
      return xs[0].map { Int8(min(max(Int64($0), c.lowerBound), c.upperBound)) }
    case .leakyRelu:
      let alpha = Double(node.float("alpha"))
      guard alpha >= 0 else {
        throw QuantizationError.invalidSetting(
          "Leaky ReLU '\(node.name)' has a negative slope \(alpha), which the gap8-sq8 executor does not support.")
      }
      let ratio = try format(node.inputs[0]).scale / format(node.outputs[0]).scale
      let positive = SQ8Multiplier(ratio), negative = SQ8Multiplier(alpha * ratio)
      return xs[0].map { v in
        let x = Int64(v)
        return Int8(GAP8Arithmetic.clip((x >= 0 ? positive : negative).apply(x), bits: 8))
      }
    case .add:
      let out = try format(node.outputs[0]).scale
      let ma = SQ8Multiplier(try format(node.inputs[0]).scale / out)
      let mb = SQ8Multiplier(try format(node.inputs[1]).scale / out)
      let (a, b) = (xs[0].scalars, xs[1].scalars)
      return Tensor(
        shape: xs[0].shape,
        scalars: (0..<a.count).map { i in
          Int8(GAP8Arithmetic.clip(ma.apply(Int64(a[i])) + mb.apply(Int64(b[i])), bits: 8))
        })
    case .concat:
      let out = try format(node.outputs[0])
      let parts = try zip(xs, node.inputs).map { x, name -> Tensor<Int8> in
        let q = try format(name)
        if q == out { return x }
        let m = SQ8Multiplier(q.scale / out.scale)
        return x.map { Int8(GAP8Arithmetic.clip(m.apply(Int64($0)), bits: 8)) }
      }
      return Tensor.concat(parts, axis: node.int("axis"))
    case .avgPool:
      return Pow2Ops.avgPool(node, xs[0].map(Int16.init), try format(node.inputs[0])).map { Int8($0) }
    case .globalAvgPool:
      return Pow2Ops.globalAvgPool(xs[0].map(Int16.init), try format(node.inputs[0])).map { Int8($0) }
    case .maxPool, .upsample, .flatten, .reshape, .dropout, .identity:
      return moveCodes(node, xs[0])
    default:
      return try floatFallback(node, xs)
    }
  }
}
