import Graph
import Tensors

/// The `gap8-sq8` convolution and dense layers on int8 codes (``SQ8Quantizer`` gives the
/// arithmetic). The products run on ``IntegerGEMM``'s uint8 × int8 kernel with the codes offset
/// by 128 (x + 128, padding 128 = real 0) and the offset removed exactly afterwards:
/// Σ w·x = Σ w·(x + 128) − 128·Σ w.
enum SQ8Layers {
  /// A layer's integer weights, row sums, biases, multipliers and output clamp.
  struct Plan {
    var weights: [Int8]
    var rowSums: [Int64]
    var bias: [Int64]
    var multipliers: [SQ8Multiplier]
    var clamp: ClosedRange<Int64>
  }

  static func plan(_ node: Node, _ model: QuantizedModel) throws -> Plan {
    let t = try Int8LayerTensors(node, model)
    let graph = model.graph, (w, wq, inQ, outQ) = (t.weights, t.weightFormat, t.input, t.output)
    let channels = w.shape[0], per = t.perChannel, bias = t.bias, rowSums = t.rowSums
    let bits = SQ8Quantizer.availableBits(products: per, bias: bias)
    let multipliers = (0..<channels).map {
      SQ8Multiplier(inQ.scale * wq.scales[$0] / outQ.scale, availableBits: bits)
    }
    return Plan(
      weights: w.scalars, rowSums: rowSums, bias: bias, multipliers: multipliers,
      clamp: activationClamp(model.fusedActivations[node.name].flatMap(graph.node(named:)), outQ))
  }

  /// The codes a ReLU (≥ 0) or ReLU6 (≥ 0, ≤ ⌊6/s + ½⌋) allows; all of int8 otherwise.
  static func activationClamp(_ activation: Node?, _ q: TensorQuantization) -> ClosedRange<Int64> {
    switch activation?.op {
    case .relu?: return 0...127
    case .relu6?: return 0...min(127, Int64((6 / q.scale + 0.5).rounded(.down)))
    default: return -128...127
    }
  }

  /// clamp(clip8(AT_SCALE(acc − 128·Σw + bias))) for one accumulator of channel `o`.
  @inline(__always)
  static func requantize(_ acc: Int32, _ o: Int, _ plan: Plan) -> Int8 {
    let v = Int64(acc) - 128 * plan.rowSums[o] + plan.bias[o]
    let y = GAP8Arithmetic.clip(plan.multipliers[o].apply(v), bits: 8)
    return Int8(min(max(y, plan.clamp.lowerBound), plan.clamp.upperBound))
  }

  static func conv(_ node: Node, _ x: Tensor<Int8>, _ model: QuantizedModel) throws -> Tensor<Int8> {
    let plan = try plan(node, model)
    let p = node.convParameters, k = node.ints("kernel"), channels = node.int("outChannels"), n = x.shape[0]
    let (oh, ow) = p.outputSize(h: x.shape[2], w: x.shape[3], kh: k[0], kw: k[1])
    let hw = oh * ow
    // int8 codes offset by 128 to uint8 (the kernel's operand); `requantize` removes 128·Σw
    let offset = x.map { UInt8(truncatingIfNeeded: Int16($0) + 128) }
    var out = [Int8](repeating: 0, count: n * channels * hw)
    out.withUnsafeMutableBufferPointer { ob in
      guard let base = ob.baseAddress else { return }
      let shared = SharedPointer(base)
      _ = IntegerGEMM.convolve(offset, weights: plan.weights, channels: channels, kernel: k, p, pad: 128) {
        image, ch, acc in
        let dst = shared.p + (image * channels + ch) * hw
        for q in 0..<hw { dst[q] = requantize(acc[q], ch, plan) }
      }
    }
    return Tensor(shape: [n, channels, oh, ow], scalars: out)
  }

  static func dense(_ node: Node, _ x: Tensor<Int8>, _ model: QuantizedModel) throws -> Tensor<Int8> {
    let plan = try plan(node, model)
    let (n, features) = (x.shape[0], x.shape[1]), channels = node.int("outFeatures")
    let cols = x.transposed([1, 0]).scalars.map { UInt8(truncatingIfNeeded: Int16($0) + 128) }
    let acc = IntegerGEMM.dense(weights: plan.weights, cols: cols, features: features, channels: channels, n: n)
    var out = [Int8](repeating: 0, count: n * channels)
    for o in 0..<channels {
      for s in 0..<n { out[s * channels + o] = requantize(acc[o * n + s], o, plan) }
    }
    return Tensor(shape: [n, channels], scalars: out)
  }
}
