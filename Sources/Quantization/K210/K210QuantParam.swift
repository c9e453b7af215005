/// nncase 1.9's range fix-up and uint8 quantization parameters (`quantizer::fixup_range`,
/// `get_quant_param` in unsigned mode, `kernels::detail::quantize`), used for K210 activations
/// and weights: real = scale · (q − zeroPoint).
public struct K210QuantParam: Equatable, Sendable {
  /// The zero point.
  public var zeroPoint: Int
  /// The scale.
  public var scale: Float

  /// `fixup_range`: asymmetric — a span of 0 becomes 0.1 and a span below 0.01 becomes 0.01
  /// (max = min + span), then the range is widened to contain 0; symmetric —
  /// r = max(|min|, |max|, 0.01) and the range is [−r, r].
  public static func fixup(_ range: ClosedRange<Float>, symmetric: Bool = false) -> ClosedRange<Float> {
    if symmetric {
      let r = max(abs(range.lowerBound), abs(range.upperBound), 0.01)
      return -r...r
    }
    var lo = range.lowerBound, hi = range.upperBound
    var span = hi - lo
    if span == 0 { span = 0.1 } else if span < 0.01 { span = 0.01 }
    hi = lo + span
    if hi < 0 { hi = 0 }
    if lo > 0 { lo = 0 }
    return lo...hi
  }

  /// `get_quant_param(range, 8, unsigned_mode)`: after ``fixup(_:symmetric:)``,
  /// scale = (max − min)/255 and zeroPoint = round(−min·255/(max − min)) (half away from zero,
  /// in Double as nncase computes it).
  public init(range: ClosedRange<Float>) {
    let r = Self.fixup(range)
    let lo = Double(r.lowerBound), hi = Double(r.upperBound)
    scale = Float((hi - lo) / 255)
    zeroPoint = Int(((lo * (0 - 255)) / (hi - lo)).rounded())
  }

  /// `quantize<uint8_t>`: clamp(lrintf(x / scale + zeroPoint), 0, 255) (half to even).
  public func quantize(_ x: Float) -> UInt8 {
    let v = (x / scale + Float(zeroPoint)).rounded(.toNearestOrEven)
    return UInt8(min(max(v, 0), 255))
  }

  /// The real value of `q`.
  public func dequantize(_ q: UInt8) -> Float { Float(Int(q) - zeroPoint) * scale }
}
