import Foundation

/// Formats tick labels and other numbers shown in charts.
public enum TickFormatter {
  /// A tick label: as many decimals as the step needs, and k/M/G suffixes for steps of at
  /// least 1,000 (so 2,000,000 MACs print as "2M").
  public static func label(_ value: Double, scale: NiceScale) -> String {
    let magnitude = max(abs(scale.lower), abs(scale.upper))
    if scale.step >= 1000 && magnitude >= 10_000 {
      for (divisor, suffix) in [(1e9, "G"), (1e6, "M"), (1e3, "k")] where magnitude >= divisor {
        if value == 0 { return "0" }
        let decimals = max(0, -Int(log10(scale.step / divisor).rounded(.down)))
        return String(format: "%.\(decimals)f", value / divisor) + suffix
      }
    }
    return String(format: "%.\(scale.decimals)f", value)
  }

  /// A compact general number: integers without decimals, others with up to `significant`
  /// significant digits.
  public static func compact(_ value: Double, significant: Int = 3) -> String {
    guard value.isFinite else { return value.isNaN ? "–" : (value > 0 ? "∞" : "−∞") }
    if value == value.rounded() && abs(value) < 1e15 { return String(Int64(value)) }
    return String(format: "%.\(significant)g", value)
  }
}
