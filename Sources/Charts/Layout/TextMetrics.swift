/// Estimated text sizes for layout.
///
/// SVG text is measured by the browser, not here, so layout uses an estimate of the average
/// advance of DejaVu Sans / Helvetica-like fonts (0.6 em per character). It errs wide, so labels
/// get slightly more room than they need rather than overlapping.
enum TextMetrics {
  /// Average advance per character, in ems.
  static let averageAdvance = 0.6

  /// The estimated width of `text` at `size` pixels.
  static func width(_ text: String, size: Double) -> Double {
    Double(text.count) * size * averageAdvance
  }

  /// `text` cut to at most `maxCharacters`, with an ellipsis when cut.
  static func truncated(_ text: String, maxCharacters: Int) -> String {
    guard text.count > maxCharacters, maxCharacters > 1 else { return text }
    return String(text.prefix(maxCharacters - 1)) + "…"
  }
}
