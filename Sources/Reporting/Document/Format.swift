import Foundation

/// Number formatting shared by every report.
public enum Format {
  /// A KPI or rate: four decimals below 10, else grouped with at most one decimal; "–" for nil.
  public static func metric(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "–" }
    if abs(v) < 10 { return String(format: "%.4f", v) }
    if v == v.rounded() { return count(Int(v)) }
    return String(format: "%.1f", v)
  }

  /// A signed difference, e.g. `+0.0123`.
  public static func delta(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "–" }
    let text = metric(abs(v))
    return v > 0 ? "+" + text : v < 0 ? "−" + text : text
  }

  /// An integer with thousands separators: `1,769,472`.
  public static func count(_ v: Int) -> String {
    let digits = String(v.magnitude)
    var out = ""
    for (i, c) in digits.enumerated() {
      if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
      out.append(c)
    }
    return (v < 0 ? "-" : "") + out
  }

  /// Bytes in B, KiB or MiB.
  public static func bytes(_ v: Int) -> String {
    let d = Double(v)
    if d < 1024 { return "\(v) B" }
    if d < 1024 * 1024 { return String(format: "%.1f KiB", d / 1024) }
    return String(format: "%.2f MiB", d / 1024 / 1024)
  }

  /// A duration: `0.42 s`, `12.3 s`, `2 min 05 s`.
  public static func seconds(_ v: Double?) -> String {
    guard let v, v.isFinite else { return "–" }
    if v < 1 { return String(format: "%.2f s", v) }
    if v < 60 { return String(format: "%.1f s", v) }
    let whole = Int(v.rounded())
    return String(format: "%d min %02d s", whole / 60, whole % 60)
  }

  /// The first 12 characters of a hash.
  public static func shortHash(_ hash: String?) -> String {
    guard let hash, !hash.isEmpty else { return "–" }
    return String(hash.prefix(12))
  }
}
