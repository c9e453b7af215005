/// The b-bit formats that quantization-aware training simulates: the `int8` scheme's rules
/// (Quantization's `Int8Quantizer`, Jacob et al. 2018) with the bit width as a parameter, so that
/// at b = 8 the simulation computes exactly the numbers of Quantization's fake-quant executor.
///
/// Activations are asymmetric per tensor with codes 0…2^b − 1: the calibrated range [lo, hi] is
/// widened to contain 0 (a span below 1e-6 is widened to 1e-6 above its lower end),
/// s = (hi − lo)/(2^b − 1), z = clamp(round(−lo/s), 0, 2^b − 1), and x ↦ s·(clamp(round(x/s) + z)
/// − z), rounding half away from zero, in Double. Bit widths go up to 24, where the grid is as
/// fine as float32's precision (used to check gradients against finite differences).
public struct ActivationFormat: Equatable, Sendable {
  /// The step s.
  public let scale: Double
  /// The code of real 0.
  public let zeroPoint: Int
  /// The largest code, 2^b − 1 (the smallest is 0).
  public let maxCode: Int

  /// The format of `range` at `bits` bits.
  public init(range: ClosedRange<Float>, bits: Int) {
    precondition(bits >= 2 && bits <= 24, "ActivationFormat: bits must be in 2...24, got \(bits)")
    maxCode = (1 << bits) - 1
    let lo = Double(min(range.lowerBound, 0))
    var hi = Double(max(range.upperBound, 0))
    if hi - lo < 1e-6 { hi = lo + 1e-6 }
    scale = (hi - lo) / Double(maxCode)
    zeroPoint = min(max(Int((-lo / scale).rounded()), 0), maxCode)
  }

  /// round(x/s) + z before clamping (the straight-through estimator passes the gradient where
  /// this lies in 0…2^b − 1).
  @inline(__always)
  public func unclampedCode(_ x: Float) -> Double { (Double(x) / scale).rounded() + Double(zeroPoint) }

  /// x quantized and dequantized.
  @inline(__always)
  public func fakeQuantize(_ x: Float) -> Float {
    let q = unclampedCode(x)
    guard q.isFinite else { return Float(scale * Double((q > 0 ? maxCode : 0) - zeroPoint)) }
    return Float(scale * (min(max(q, 0), Double(maxCode)) - Double(zeroPoint)))
  }
}

/// Weights: symmetric, one scale per output channel (axis 0) or per tensor, codes
/// −(2^(b−1) − 1)…2^(b−1) − 1 (the narrow range: ±127 at 8 bits), s = max|W|/(2^(b−1) − 1)
/// (1 for an all-zero channel), w ↦ s·clamp(round(w/s)). Biases: zero point 0, step
/// s_in·s_w[o] (the accumulator's unit), not clamped.
public enum WeightFormat {
  /// The largest weight code at `bits` bits.
  public static func maxCode(bits: Int) -> Int {
    precondition(bits >= 2 && bits <= 24, "WeightFormat: bits must be in 2...24, got \(bits)")
    return (1 << (bits - 1)) - 1
  }

  /// The scale of each output channel of `scalars` (shape [O, …]), or the tensor's scale
  /// repeated when `perChannel` is false.
  public static func scales(_ scalars: [Float], channels: Int, bits: Int, perChannel: Bool) -> [Double] {
    let per = scalars.count / max(channels, 1), qmax = Double(maxCode(bits: bits))
    let tensorMax = scalars.reduce(Float(0)) { max($0, abs($1)) }
    return (0..<channels).map { o in
      var amax = tensorMax
      if perChannel {
        amax = 0
        for i in 0..<per { amax = max(amax, abs(scalars[o * per + i])) }
      }
      return amax > 0 ? Double(amax) / qmax : 1
    }
  }

  /// w quantized to the code range ±`maxCode` with step `scale`, and dequantized.
  @inline(__always)
  public static func fakeQuantize(_ w: Float, scale: Double, maxCode: Double) -> Float {
    Float(scale * min(max((Double(w) / scale).rounded(), -maxCode), maxCode))
  }
}
