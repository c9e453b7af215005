import Graph
import Tensors

/// The `gap8-pow2` activations, pools and joins on int16 codes. `roundnorm` is AutoTiler's
/// half-up `AT_NORM`, `clip` saturates to the output width (``GAP8Arithmetic``); n is a
/// format's fractional bits.
enum Pow2Ops {
  /// ReLU: max(x, 0). ReLU6: min(max(x, 0), ⌊6·2ⁿ⌋) (AutoTiler's ReLUN bound `6 << Norm`).
  static func relu(_ node: Node, _ x: Tensor<Int16>, _ q: TensorQuantization) -> Tensor<Int16> {
    let hi = node.op == .relu6 ? Int16(clamping: Int64((6 / q.scale).rounded(.down))) : Int16.max
    return x.map { min(max($0, 0), hi) }
  }

  /// Leaky ReLU as AutoTiler's 16-bit `KACT_LEAKY`: x < 0 ? clip(roundnorm(x · L, 12)) : x with
  /// L = FP2FIX(α, 12) = trunc(α · 4095) (AutoTiler hard-codes α = 0.1, L = 409; we take the
  /// node's α). The format is kept.
  static func leakyRelu(_ node: Node, _ x: Tensor<Int16>, _ q: TensorQuantization) -> Tensor<Int16> {
    let leak = GAP8Arithmetic.fp2fix(Double(node.float("alpha")), 12), bits = width(q)
    return x.map { v in
      guard v < 0 else { return v }
      return Int16(truncatingIfNeeded: GAP8Arithmetic.clip(GAP8Arithmetic.roundNorm(Int64(v) * leak, 12), bits: bits))
    }
  }

  /// Average pooling in the input's format, AutoTiler's `PoolFactor` form (§4.6):
  /// clip(roundnorm(Σ window · ⌊2¹⁶ / divisor⌋, 16)), with PyTorch's window and divisor rules
  /// (AutoTiler divides by Fw·Fh; they differ only in windows clipped by padding with
  /// `countIncludePad` off).
  static func avgPool(_ node: Node, _ x: Tensor<Int16>, _ q: TensorQuantization) -> Tensor<Int16> {
    let (planes, h, w) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
    let windows = PoolWindows(node.poolParameters, h: h, w: w)
    let size = windows.oh * windows.ow, bits = width(q)
    var out = [Int16](repeating: 0, count: planes * size)
    for plane in 0..<planes {
      let base = plane * h * w
      windows.forEach { index, rows, columns, divisor in
        var sum: Int64 = 0
        for yy in rows { for xx in columns { sum += Int64(x.scalars[base + yy * w + xx]) } }
        out[plane * size + index] = pooled(sum, divisor, bits)
      }
    }
    return Tensor(shape: [x.shape[0], x.shape[1], windows.oh, windows.ow], scalars: out)
  }

  /// Global average pooling: ``avgPool(_:_:_:)`` over the whole plane (divisor H·W).
  static func globalAvgPool(_ x: Tensor<Int16>, _ q: TensorQuantization) -> Tensor<Int16> {
    let planes = x.shape[0] * x.shape[1], hw = x.shape[2] * x.shape[3], bits = width(q)
    let out = (0..<planes).map { plane -> Int16 in
      var sum: Int64 = 0
      for i in 0..<hw { sum += Int64(x.scalars[plane * hw + i]) }
      return pooled(sum, hw, bits)
    }
    return Tensor(shape: [x.shape[0], x.shape[1], 1, 1], scalars: out)
  }

  @inline(__always)
  static func pooled(_ sum: Int64, _ divisor: Int, _ bits: Int) -> Int16 {
    let factor = Int64((1 << 16) / divisor)
    return Int16(truncatingIfNeeded: GAP8Arithmetic.clip(GAP8Arithmetic.roundNorm(sum * factor, 16), bits: bits))
  }

  /// Brings codes from format `from` to format `to`: clip(roundnorm(x, n_from − n_to)) (an
  /// exact left shift when `to` has more fractional bits); a copy when the formats agree.
  static func align(_ x: Tensor<Int16>, from: TensorQuantization, to: TensorQuantization) -> Tensor<Int16> {
    let shift = (from.fractionalBits ?? 0) - (to.fractionalBits ?? 0), bits = width(to)
    if shift == 0 && width(from) <= bits { return x }
    return x.map {
      Int16(truncatingIfNeeded: GAP8Arithmetic.clip(GAP8Arithmetic.roundNorm(Int64($0), shift), bits: bits))
    }
  }

  /// Add in the common format: clip(roundnorm(a, n_a − n) + roundnorm(b, n_b − n))
  /// (gap_quantization's `EltWiseAdd`).
  static func add(
    _ a: Tensor<Int16>, _ b: Tensor<Int16>, _ qa: TensorQuantization, _ qb: TensorQuantization,
    _ out: TensorQuantization
  ) -> Tensor<Int16> {
    let n = out.fractionalBits ?? 0, bits = width(out)
    let sa = (qa.fractionalBits ?? 0) - n, sb = (qb.fractionalBits ?? 0) - n
    var y = [Int16](repeating: 0, count: a.count)
    for i in 0..<a.count {
      let v = GAP8Arithmetic.roundNorm(Int64(a.scalars[i]), sa) + GAP8Arithmetic.roundNorm(Int64(b.scalars[i]), sb)
      y[i] = Int16(truncatingIfNeeded: GAP8Arithmetic.clip(v, bits: bits))
    }
    return Tensor(shape: a.shape, scalars: y)
  }

  /// The width in bits of a format's element type.
  static func width(_ q: TensorQuantization) -> Int { q.elementType == .int8 ? 8 : 16 }
}
