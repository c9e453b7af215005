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
    let p = node.convParameters, k = node.ints("kernel")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let channels = node.int("outChannels"), groups = p.groups
    let (oh, ow) = p.outputSize(h: h, w: w, kh: k[0], kw: k[1])
    let hw = oh * ow, perGroup = channels / groups, kk = (c / groups) * k[0] * k[1]
    let offset = x.scalars.map { UInt8(truncatingIfNeeded: Int16($0) + 128) }
    var out = [Int8](repeating: 0, count: n * channels * hw)
    var cols = [UInt8](repeating: 0, count: c * k[0] * k[1] * hw)
    for image in 0..<n {
      offset.withUnsafeBufferPointer { xs in
        cols.withUnsafeMutableBufferPointer { cb in
          guard let src = xs.baseAddress, let dst = cb.baseAddress else { return }
          IntegerGEMM.im2col(
            src + image * c * h * w, c: c, h: h, w: w, kh: k[0], kw: k[1], oh: oh, ow: ow, p, pad: 128, into: dst)
        }
      }
      cols.withUnsafeBufferPointer { cb in
        plan.weights.withUnsafeBufferPointer { wb in
          out.withUnsafeMutableBufferPointer { ob in
            guard let colBase = cb.baseAddress, let wBase = wb.baseAddress, let oBase = ob.baseAddress else { return }
            let shared = SharedPointer(oBase + image * channels * hw)
            Parallel.forEachChunk(Parallel.chunks(channels)) { _, range in
              var acc = [Int32](repeating: 0, count: 4 * hw)
              acc.withUnsafeMutableBufferPointer { ab in
                guard let a = ab.baseAddress else { return }
                var o = range.lowerBound
                while o < range.upperBound {
                  let g = o / perGroup
                  let end = min(o + 4, range.upperBound, (g + 1) * perGroup)
                  IntegerGEMM.multiply(weights: wBase, rows: o..<end, k: kk, cols: colBase + g * kk * hw, n: hw, acc: a)
                  for ch in o..<end {
                    for q in 0..<hw { shared.p[ch * hw + q] = requantize(a[(ch - o) * hw + q], ch, plan) }
                  }
                  o = end
                }
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n, channels, oh, ow], scalars: out)
  }

  static func dense(_ node: Node, _ x: Tensor<Int8>, _ model: QuantizedModel) throws -> Tensor<Int8> {
    let plan = try plan(node, model)
    let (n, features) = (x.shape[0], x.shape[1]), channels = node.int("outFeatures")
    let cols = x.transposed([1, 0]).scalars.map { UInt8(truncatingIfNeeded: Int16($0) + 128) }
    var acc = [Int32](repeating: 0, count: channels * n)
    cols.withUnsafeBufferPointer { cb in
      plan.weights.withUnsafeBufferPointer { wb in
        acc.withUnsafeMutableBufferPointer { ab in
          guard let c = cb.baseAddress, let w = wb.baseAddress, let a = ab.baseAddress else { return }
          IntegerGEMM.multiply(weights: w, rows: 0..<channels, k: features, cols: c, n: n, acc: a)
        }
      }
    }
    var out = [Int8](repeating: 0, count: n * channels)
    for o in 0..<channels {
      for s in 0..<n { out[s * channels + o] = requantize(acc[o * n + s], o, plan) }
    }
    return Tensor(shape: [n, channels], scalars: out)
  }
}
