/// A positive real multiplier M ≈ mantissa · 2^−shift with a 31-bit mantissa in [2³⁰, 2³¹)
/// (the TFLite/gemmlowp representation of s_in·s_w / s_out), applied to an integer with one
/// rounding.
///
/// ``apply(_:)`` returns round(x · mantissa / 2^shift), rounding half away from zero, computed
/// exactly in 64-bit integers. (TFLite's reference rounds twice — a rounding doubling high
/// multiply, then a rounding right shift — and can differ from this by 1 at exact ties; we
/// round once, so the result is the correctly rounded value of x·mantissa·2^−shift.)
public struct FixedPointMultiplier: Codable, Equatable, Sendable {
  /// The 31-bit mantissa, in [2³⁰, 2³¹) (0 for M = 0).
  public var mantissa: Int64
  /// The right shift (may exceed 62, in which case the result is 0 unless |x·mantissa| is huge).
  public var shift: Int

  /// The representation of `real` (≥ 0, < 2³⁰): the mantissa is `real`'s significand rounded
  /// half away from zero to 31 bits.
  public init(_ real: Double) {
    precondition(real >= 0 && real < 0x1p30, "FixedPointMultiplier: \(real) is out of range [0, 2^30)")
    guard real > 0 else {
      mantissa = 0
      shift = 0
      return
    }
    // real = f · 2^e with f ∈ [0.5, 1)
    let e = Int(real.exponent) + 1
    let f = real.significand / 2
    var m = Int64((f * 0x1p31).rounded())
    var s = 31 - e
    if m == 1 << 31 {
      m >>= 1
      s -= 1
    }
    mantissa = m
    shift = s
  }

  /// The real value represented.
  public var value: Double { Double(mantissa) * Double.pow2(-shift) }

  /// round(x · M), half away from zero, exact.
  @inline(__always)
  public func apply(_ x: Int64) -> Int64 {
    Self.roundingShift(x * mantissa, shift)
  }

  /// round(v / 2^s), half away from zero (s ≥ 0; s > 62 gives 0 for |v| < 2⁶²).
  @inline(__always)
  public static func roundingShift(_ v: Int64, _ s: Int) -> Int64 {
    guard s > 0 else { return v << -s }
    guard s < 63 else { return 0 }
    let half = Int64(1) << (s - 1)
    return v >= 0 ? (v + half) >> s : -((-v + half) >> s)
  }
}

/// Several multipliers sharing one right shift, for sums of differently scaled terms (Add,
/// Concat and Leaky ReLU): round(Σ xᵢ·mᵢ / 2^shift) with one rounding. The shift is chosen
/// so that the largest multiplier has a 31-bit mantissa; smaller ones keep the same absolute
/// precision (2^−shift).
public struct SharedShiftMultipliers: Codable, Equatable, Sendable {
  /// One integer multiplier per term.
  public var multipliers: [Int64]
  /// The common right shift.
  public var shift: Int

  /// The representation of `reals` (each ≥ 0, at least one > 0, all < 2³⁰).
  public init(_ reals: [Double]) {
    let largest = reals.max() ?? 0
    precondition(largest > 0 && largest < 0x1p30, "SharedShiftMultipliers: the largest multiplier must be in (0, 2^30)")
    shift = 31 - (Int(largest.exponent) + 1)
    let scale = Double.pow2(shift)
    multipliers = reals.map { Int64(($0 * scale).rounded()) }
  }

  /// round(Σ xᵢ·mᵢ / 2^shift), half away from zero.
  @inline(__always)
  public func apply(_ xs: Int64...) -> Int64 {
    var acc: Int64 = 0
    for (x, m) in zip(xs, multipliers) { acc += x * m }
    return FixedPointMultiplier.roundingShift(acc, shift)
  }

  /// round(x·mᵢ / 2^shift) for one term.
  @inline(__always)
  public func apply(_ x: Int64, term: Int) -> Int64 {
    FixedPointMultiplier.roundingShift(x * multipliers[term], shift)
  }
}
