/// A requantization factor M ≈ scale · 2^−shift with an unsigned multiplier of at most 8 bits,
/// the `Scale`/`ScaleN` pair NNTool's SQ8 scheme stores per output channel and AutoTiler's SQ8
/// kernels apply as `AT_SCALE(x, Scale, ScaleN) = AT_NORM(x · Scale, ScaleN)` (`gap8.md` §4.2).
///
/// Encoding (NNTool `compute_scales`, restated): M = f · 2^e with f ∈ [½, 1) (`frexp`, f kept
/// to float32); b = min(8, available bits); scale = ⌊f·2^b + ½⌋ and shift = b − e; while the
/// multiplier overflows b_max bits, the shift exceeds 24, or the multiplier is even — and the
/// shift and b are still positive — b is lowered by one. (Dropping an even multiplier's
/// trailing zero keeps its value; the other two trade precision for range.)
public struct SQ8Multiplier: Codable, Equatable, Sendable {
  /// The unsigned multiplier (`Scale`).
  public var scale: Int64
  /// The right shift (`ScaleN`); negative means a left shift.
  public var shift: Int

  /// The encoding of `real` (≥ 0) with at most `availableBits` multiplier bits (8 at most).
  public init(_ real: Double, availableBits: Int = 8) {
    precondition(real >= 0 && real.isFinite, "SQ8Multiplier: \(real) is not a finite non-negative factor")
    guard real > 0 else {
      scale = 0
      shift = 0
      return
    }
    guard real != 1 else {
      scale = 1
      shift = 0
      return
    }
    let e = Int(real.exponent) + 1
    let f = Double(Float(real.significand / 2))
    let maxBits = min(8, availableBits)
    var bits = maxBits
    while true {
      let m = (f * Double.pow2(bits) + 0.5).rounded(.down)
      let n = bits - e
      let shouldMove = m >= Double.pow2(maxBits) || n > 24 || m.truncatingRemainder(dividingBy: 2) == 0
      if !(shouldMove && n > 0 && bits > 0) {
        scale = Int64(m)
        shift = n
        return
      }
      bits -= 1
    }
  }

  /// The real factor represented.
  public var value: Double { Double(scale) * Double.pow2(-shift) }

  /// `AT_SCALE(x, scale, shift)`: (x · scale + 2^(shift−1)) >> shift, ties up.
  @inline(__always)
  public func apply(_ x: Int64) -> Int64 { GAP8Arithmetic.roundNorm(x * scale, shift) }
}
