import Foundation

/// A report with a stable JSON form (the `--json` output) and a human-readable text form.
///
/// The JSON form is the documented contract (`Sources/Metrics/Metrics.docc/Metrics.md`): keys
/// are sorted, absent values are `null`, and fields are only added within a format version. The
/// text form is for people and may change.
public protocol MetricsReport: Codable {
  /// A human-readable summary (not for parsing).
  func renderText() -> String
}

extension MetricsReport {
  /// The report as JSON with sorted keys (pretty-printed unless `pretty` is false).
  ///
  /// - Throws: `EncodingError` only if a value is not representable (never for finite reports).
  public func jsonData(pretty: Bool = true) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
    return try encoder.encode(self)
  }
}

/// Formats a value with a fixed number of decimals, or "–" for nil.
func fixed(_ value: Double?, _ decimals: Int = 4) -> String {
  guard let value else { return "–" }
  return String(format: "%.\(decimals)f", value)
}

/// Pads `text` on the left (numbers) or right (names) to `width`.
func pad(_ text: String, _ width: Int, left: Bool = true) -> String {
  let fill = String(repeating: " ", count: max(0, width - text.count))
  return left ? fill + text : text + fill
}
