import Charts

/// HTML escaping.
public enum HTML {
  /// `text` safe as element content and as a quoted attribute value: `&`, `<`, `>`, `"` and
  /// `'` become character references, control characters are dropped.
  public static func escape(_ text: String) -> String { SVGRenderer.escape(text) }
}
