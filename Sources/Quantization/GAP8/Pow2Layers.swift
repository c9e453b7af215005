import Graph
import Tensors

/// The `gap8-pow2` convolution and dense layers on int16 codes (``Pow2Quantizer`` gives the
/// formats; ``Int16GEMM`` the kernel). With `Norm = Q_in + Q_w − Q_out`, B the layer's width,
/// `clip` to B bits and `roundnorm` AutoTiler's half-up `AT_NORM` (``GAP8Arithmetic``):
/// - **non-DP** (`KOP_CONV`, the default; `gap8.md` §4.6): the output starts at the bias (in the
///   output format), then for every input channel c of the group
///   `Out = clip((Out << Norm + S_c) roundnorm Norm) = clip(Out + roundnorm(S_c, Norm))`, with
///   S_c the sum of that channel's kh·kw products: the output is rounded and saturated after
///   every input channel;
/// - **DP** (`KOP_CONV_DP`): `Out = clip(roundnorm(Bias << Norm + Σ_c S_c, Norm))`, one
///   normalization of the full 32-bit sum;
/// - dense is AutoTiler's linear layer, one accumulation like DP:
///   `Out = clip(roundnorm(Bias << Norm + Σ w·x, Norm))`.
enum Pow2Layers {
  /// A layer's integer weights [O, K], bias codes, shift and width.
  struct Plan {
    var weights: [Int16]
    var bias: [Int64]
    var norm: Int
    var bits: Int
  }

  static func plan(_ node: Node, _ model: QuantizedModel) throws -> Plan {
    let graph = model.graph, table = model.table
    let wKey = Parameter.key(node: node.name, role: "weight"), bKey = Parameter.key(node: node.name, role: "bias")
    func format(_ name: String) throws -> TensorQuantization {
      guard let q = table[name], q.fractionalBits != nil else {
        throw QuantizationError.missingQuantization(graph: graph.name, tensor: name)
      }
      return q
    }
    let wq = try format(wKey), inQ = try format(node.inputs[0]), outQ = try format(node.outputs[0])
    guard let data = graph.parameters[wKey]?.data, let weights = int16Codes(data) else {
      throw QuantizationError.missingQuantization(graph: graph.name, tensor: wKey)
    }
    let channels = data.shape[0]
    var bias = [Int64](repeating: 0, count: channels)
    if let parameter = graph.parameters[bKey] {
      guard let b = parameter.data.flatMap(int16Codes), try format(bKey) == outQ else {
        throw QuantizationError.missingQuantization(graph: graph.name, tensor: bKey)
      }
      bias = b.map(Int64.init)
    }
    let norm = (inQ.fractionalBits ?? 0) + (wq.fractionalBits ?? 0) - (outQ.fractionalBits ?? 0)
    return Plan(weights: weights, bias: bias, norm: norm, bits: outQ.elementType == .int8 ? 8 : 16)
  }

  /// The codes of an int8 or int16 parameter, widened to Int16.
  static func int16Codes(_ data: ParameterData) -> [Int16]? {
    switch data {
    case let .int16(t): return t.scalars
    case let .int8(t): return t.scalars.map(Int16.init)
    default: return nil
    }
  }

  static func conv(_ node: Node, _ x: Tensor<Int16>, _ model: QuantizedModel, doublePrecision: Bool) throws
    -> Tensor<Int16>
  {
    let plan = try plan(node, model)
    let p = node.convParameters, k = node.ints("kernel")
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let channels = node.int("outChannels"), groups = p.groups
    let (oh, ow) = p.outputSize(h: h, w: w, kh: k[0], kw: k[1])
    let hw = oh * ow, perGroup = channels / groups, taps = k[0] * k[1], cg = c / groups, kk = cg * taps
    var out = [Int16](repeating: 0, count: n * channels * hw)
    var cols = [Int16](repeating: 0, count: c * taps * hw)
    for image in 0..<n {
      x.scalars.withUnsafeBufferPointer { xs in
        cols.withUnsafeMutableBufferPointer { cb in
          guard let src = xs.baseAddress, let dst = cb.baseAddress else { return }
          IntegerGEMM.im2col(
            src + image * c * h * w, c: c, h: h, w: w, kh: k[0], kw: k[1], oh: oh, ow: ow, p, pad: 0, into: dst)
        }
      }
      cols.withUnsafeBufferPointer { cb in
        plan.weights.withUnsafeBufferPointer { wb in
          out.withUnsafeMutableBufferPointer { ob in
            guard let colBase = cb.baseAddress, let wBase = wb.baseAddress, let oBase = ob.baseAddress else { return }
            let shared = SharedPointer(oBase + image * channels * hw)
            Parallel.forEachChunk(Parallel.chunks(channels)) { _, range in
              // blocks of up to four channels of one group: acc holds one GEMM, sum the running output
              var acc = [Int64](repeating: 0, count: 4 * hw), sum = [Int64](repeating: 0, count: 4 * hw)
              var o = range.lowerBound
              while o < range.upperBound {
                let g = o / perGroup
                let end = min(o + 4, range.upperBound, (g + 1) * perGroup)
                acc.withUnsafeMutableBufferPointer { ab in
                  guard let a = ab.baseAddress else { return }
                  for ch in o..<end {
                    for q in 0..<hw { sum[(ch - o) * hw + q] = plan.bias[ch] }
                  }
                  if doublePrecision {
                    Int16GEMM.multiply(
                      weights: wBase, ldw: kk, offset: 0, rows: o..<end, k: kk, cols: colBase + g * kk * hw, n: hw,
                      acc: a)
                    for i in 0..<((end - o) * hw) {
                      sum[i] = GAP8Arithmetic.clip(sum[i] + GAP8Arithmetic.roundNorm(a[i], plan.norm), bits: plan.bits)
                    }
                  } else {
                    for ci in 0..<cg {
                      Int16GEMM.multiply(
                        weights: wBase, ldw: kk, offset: ci * taps, rows: o..<end, k: taps,
                        cols: colBase + (g * kk + ci * taps) * hw, n: hw, acc: a)
                      for i in 0..<((end - o) * hw) {
                        sum[i] = GAP8Arithmetic.clip(
                          sum[i] + GAP8Arithmetic.roundNorm(a[i], plan.norm), bits: plan.bits)
                      }
                    }
                  }
                }
                for i in 0..<((end - o) * hw) { shared.p[o * hw + i] = Int16(truncatingIfNeeded: sum[i]) }
                o = end
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n, channels, oh, ow], scalars: out)
  }

  static func dense(_ node: Node, _ x: Tensor<Int16>, _ model: QuantizedModel) throws -> Tensor<Int16> {
    let plan = try plan(node, model)
    let (n, features) = (x.shape[0], x.shape[1]), channels = node.int("outFeatures")
    let cols = x.transposed([1, 0]).scalars
    var acc = [Int64](repeating: 0, count: channels * n)
    cols.withUnsafeBufferPointer { cb in
      plan.weights.withUnsafeBufferPointer { wb in
        acc.withUnsafeMutableBufferPointer { ab in
          guard let c = cb.baseAddress, let w = wb.baseAddress, let a = ab.baseAddress else { return }
          Int16GEMM.multiply(
            weights: w, ldw: features, offset: 0, rows: 0..<channels, k: features, cols: c, n: n, acc: a)
        }
      }
    }
    var out = [Int16](repeating: 0, count: n * channels)
    for o in 0..<channels {
      for s in 0..<n {
        let y = plan.bias[o] + GAP8Arithmetic.roundNorm(acc[o * n + s], plan.norm)
        out[s * channels + o] = Int16(truncatingIfNeeded: GAP8Arithmetic.clip(y, bits: plan.bits))
      }
    }
    return Tensor(shape: [n, channels], scalars: out)
  }
}
