import Foundation

/// Tick positions at "nice" numbers (1, 2, 5 × 10ⁿ) covering a data range.
///
/// The method is Heckbert's ("Nice numbers for graph labels", Graphics Gems, 1990): round the
/// range to a nice number, divide it into about `targetTicks − 1` steps, round the step to a
/// nice number, and widen the range outwards to multiples of the step. The bounds therefore
/// always include the data, and ticks are exact multiples of the step (rounded to the step's
/// decimals, so 0.1 + 0.2 prints as 0.3).
public struct NiceScale: Equatable, Sendable {
  /// The lower bound, a multiple of `step`, ≤ the data minimum.
  public var lower: Double
  /// The upper bound, a multiple of `step`, ≥ the data maximum.
  public var upper: Double
  /// The distance between ticks.
  public var step: Double

  /// Computes the scale for the data range `minimum…maximum`.
  ///
  /// - Parameters:
  ///   - minimum: The smallest value to show.
  ///   - maximum: The largest value to show.
  ///   - targetTicks: About how many ticks to produce (at least 2).
  public init(minimum: Double, maximum: Double, targetTicks: Int = 6) {
    var lo = minimum.isFinite ? minimum : 0
    var hi = maximum.isFinite ? maximum : 1
    if hi < lo { swap(&lo, &hi) }
    if hi == lo {
      let pad = lo == 0 ? 1 : abs(lo) * 0.1
      lo -= pad
      hi += pad
    }
    let range = NiceScale.niceNumber(hi - lo, round: false)
    let step = NiceScale.niceNumber(range / Double(max(targetTicks - 1, 1)), round: true)
    self.step = step
    self.lower = NiceScale.clean((lo / step).rounded(.down) * step, step: step)
    self.upper = NiceScale.clean((hi / step).rounded(.up) * step, step: step)
  }

  /// Creates a scale from explicit bounds and step.
  public init(lower: Double, upper: Double, step: Double) {
    self.lower = lower
    self.upper = upper
    self.step = step
  }

  /// Creates a scale with fixed bounds and a nice step inside them (for fixed domains like 0…1).
  public init(fixedLower: Double, fixedUpper: Double, targetTicks: Int = 6) {
    let span = max(fixedUpper - fixedLower, .leastNonzeroMagnitude)
    let range = NiceScale.niceNumber(span, round: false)
    self.step = NiceScale.niceNumber(range / Double(max(targetTicks - 1, 1)), round: true)
    self.lower = fixedLower
    self.upper = fixedUpper
  }

  /// The tick values from the first multiple of `step` ≥ `lower` up to `upper`.
  public var ticks: [Double] {
    var values: [Double] = []
    var k = (lower / step - 1e-9).rounded(.up)
    while values.count < 1000 {
      let v = NiceScale.clean(k * step, step: step)
      if v > upper + step * 1e-9 { break }
      values.append(v)
      k += 1
    }
    return values
  }

  /// Decimals needed to print ticks of this scale exactly.
  public var decimals: Int { max(0, -Int(log10(step).rounded(.down))) }

  /// The nice number near `x`: 1, 2, 5 or 10 times a power of ten; rounded to the nearest when
  /// `round` is true, else the smallest one ≥ `x`.
  public static func niceNumber(_ x: Double, round: Bool) -> Double {
    guard x > 0, x.isFinite else { return 1 }
    let exponent = log10(x).rounded(.down)
    let power = pow(10, exponent)
    let fraction = x / power
    let nice: Double
    if round {
      nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
    } else {
      nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
    }
    return nice * power
  }

  /// `value` rounded to the precision of `step`, removing floating-point noise.
  static func clean(_ value: Double, step: Double) -> Double {
    let decimals = max(0, -Int(log10(step).rounded(.down))) + 1
    let factor = pow(10, Double(min(decimals, 15)))
    let cleaned = (value * factor).rounded() / factor
    return cleaned == 0 ? 0 : cleaned
  }
}
