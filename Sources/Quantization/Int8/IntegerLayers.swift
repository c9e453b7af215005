import Graph
import Tensors

/// The int8 scheme's convolution and dense layers on uint8 codes (see ``Int8Quantizer`` for the
/// arithmetic and ``IntegerGEMM`` for the kernel).
enum IntegerLayers {
  /// What a layer needs besides its input: integer weights and biases, the multipliers and the
  /// output clamp.
  struct Plan {
    var weights: [Int8]
    var rowSums: [Int64]
    var bias: [Int64]
    var multipliers: [FixedPointMultiplier]
    var inZero: Int64
    var outZero: Int64
    var clamp: ClosedRange<Int64>
  }

  static func plan(_ node: Node, _ model: QuantizedModel) throws -> Plan {
    let t = try Int8LayerTensors(node, model)
    let graph = model.graph, (w, wq, inQ, outQ) = (t.weights, t.weightFormat, t.input, t.output)
    let channels = w.shape[0], bias = t.bias, rowSums = t.rowSums
    let multipliers = (0..<channels).map { FixedPointMultiplier(inQ.scale * wq.scales[$0] / outQ.scale) }
    return Plan(
      weights: w.scalars, rowSums: rowSums, bias: bias, multipliers: multipliers, inZero: Int64(inQ.zeroPoint),
      outZero: Int64(outQ.zeroPoint),
      clamp: activationClamp(model.fusedActivations[node.name].flatMap(graph.node(named:)), outQ))
  }

  /// The codes a fused ReLU (≥ z) or ReLU6 (≥ z, ≤ z + round(6/s)) allows.
  static func activationClamp(_ activation: Node?, _ q: TensorQuantization) -> ClosedRange<Int64> {
    let lo = Int64(q.range.lowerBound), hi = Int64(q.range.upperBound), z = Int64(q.zeroPoint)
    switch activation?.op {
    case .relu?: return max(lo, z)...hi
    case .relu6?: return max(lo, z)...min(hi, max(z, z + Int64((6 / q.scale).rounded())))
    default: return lo...hi
    }
  }

  /// Requantizes one accumulator of channel `o`.
  @inline(__always)
  static func requantize(_ acc: Int32, _ o: Int, _ plan: Plan) -> UInt8 {
    let v = Int64(acc) - plan.inZero * plan.rowSums[o] + plan.bias[o]
    let y = plan.outZero + plan.multipliers[o].apply(v)
    return UInt8(min(max(y, plan.clamp.lowerBound), plan.clamp.upperBound))
  }

  /// Requantizes a row of accumulators of channel `o` (the same arithmetic as
  /// ``requantize(_:_:_:)`` with the channel's constants hoisted out of the loop).
  @inline(__always)
  static func requantizeRow(
    _ src: UnsafePointer<Int32>, _ dst: UnsafeMutablePointer<UInt8>, count: Int, _ o: Int, _ plan: Plan
  ) {
    let offset = plan.bias[o] - plan.inZero * plan.rowSums[o], m = plan.multipliers[o]
    let lo = plan.clamp.lowerBound - plan.outZero, hi = plan.clamp.upperBound - plan.outZero, z = plan.outZero
    for q in 0..<count {
      let y = m.apply(Int64(src[q]) + offset)
      dst[q] = UInt8(truncatingIfNeeded: min(max(y, lo), hi) + z)
    }
  }

  static func conv(_ node: Node, _ x: Tensor<UInt8>, _ model: QuantizedModel) throws -> Tensor<UInt8> {
    let plan = try IntegerLayers.plan(node, model)
    let p = node.convParameters, k = node.ints("kernel"), channels = node.int("outChannels"), n = x.shape[0]
    let (oh, ow) = p.outputSize(h: x.shape[2], w: x.shape[3], kh: k[0], kw: k[1])
    let hw = oh * ow
    var out = [UInt8](repeating: 0, count: n * channels * hw)
    out.withUnsafeMutableBufferPointer { ob in
      guard let base = ob.baseAddress else { return }
      let shared = SharedPointer(base)
      _ = IntegerGEMM.convolve(
        x, weights: plan.weights, channels: channels, kernel: k, p, pad: UInt8(plan.inZero)
      ) { image, ch, acc in
        requantizeRow(acc, shared.p + (image * channels + ch) * hw, count: hw, ch, plan)
      }
    }
    return Tensor(shape: [n, channels, oh, ow], scalars: out)
  }

  static func dense(_ node: Node, _ x: Tensor<UInt8>, _ model: QuantizedModel) throws -> Tensor<UInt8> {
    let plan = try IntegerLayers.plan(node, model)
    let (n, features) = (x.shape[0], x.shape[1]), channels = node.int("outFeatures")
    let cols = x.transposed([1, 0]).scalars
    let acc = IntegerGEMM.dense(weights: plan.weights, cols: cols, features: features, channels: channels, n: n)
    var out = [UInt8](repeating: 0, count: n * channels)
    for o in 0..<channels {
      for s in 0..<n { out[s * channels + o] = requantize(acc[o * n + s], o, plan) }
    }
    return Tensor(shape: [n, channels], scalars: out)
  }
}

/// A pointer handed to parallel chunks that write disjoint regions.
struct SharedPointer<T>: @unchecked Sendable {
  let p: UnsafeMutablePointer<T>
  init(_ p: UnsafeMutablePointer<T>) { self.p = p }
}
