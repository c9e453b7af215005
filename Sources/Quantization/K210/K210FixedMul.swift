import Foundation

/// nncase's `quantizer::get_fixed_mul` (src/ir/quantizer.cpp, 1.x): a real factor as a
/// multiplier and a right shift, mul · 2^−shift ≈ value, with |mul| < 2^bits (bits = maxBits − 1
/// when signed) and 0 ≤ shift ≤ maxShift. Computed in Float as nncase does, from
/// frexp(value) = m · 2^e (m ∈ [0.5, 1)):
/// - value = 0: mul 0, shift 0;
/// - |value| > 1: shift = min(maxShift, bits − e), mul = m · 2^(shift + e);
/// - otherwise: s = min(maxShift + e, bits), mul = m · 2^s, shift = s − e.
///
/// The stored multiplier is ``roundedMultiplier`` = `lrintf(mul)` (round half to even).
/// K210 uses (22 bits signed, max shift 15) for the BN multiplier and (16 bits signed, max
/// shift 43) for the activation segments' slopes.
public struct K210FixedMul: Equatable, Sendable {
  /// The unrounded multiplier.
  public var mul: Float
  /// The right shift.
  public var shift: Int

  /// The decomposition of `value`.
  public init(_ value: Float, maxBits: Int, maxShift: Int, signed: Bool) {
    let bits = signed ? maxBits - 1 : maxBits
    if value == 0 {
      mul = 0
      shift = 0
      return
    }
    let e = Int(value.exponent) + 1
    let m = value.significand / 2 * (value < 0 ? -1 : 1)
    if abs(value) > 1 {
      shift = min(maxShift, bits - e)
      mul = m * Float(sign: .plus, exponent: shift + e, significand: 1)
    } else {
      let s = min(maxShift + e, bits)
      mul = m * Float(sign: .plus, exponent: s, significand: 1)
      shift = s - e
    }
  }

  /// `lrintf(mul)`: the integer written to the BN word or activation segment.
  public var roundedMultiplier: Int64 { Int64(mul.rounded(.toNearestOrEven)) }
}
