import Foundation

/// Renders a ``Scene`` as a standalone SVG document (also valid inline in HTML5).
///
/// The output is deterministic (fixed number formatting, items in scene order) and
/// self-contained: embedded images are `data:` URIs and fonts are generic families, so it
/// needs no network. Every item carries its ``SceneRole`` as `class`, so stylesheets and tests
/// can find ticks, legends and axes. All text is XML-escaped.
public enum SVGRenderer {
  /// The SVG text of `scene`.
  public static func render(_ scene: Scene) -> String {
    var out = ""
    out.reserveCapacity(4096 + scene.items.count * 96)
    out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(scene.width))\" height=\"\(n(scene.height))\""
    out += " viewBox=\"0 0 \(n(scene.width)) \(n(scene.height))\" role=\"img\" aria-label=\"\(escape(scene.title))\""
    out += " font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
    out += "<title>\(escape(scene.title))</title>\n"
    out += "<rect width=\"\(n(scene.width))\" height=\"\(n(scene.height))\" fill=\"\(scene.background.css)\"/>\n"
    for item in scene.items {
      out += element(item)
      out += "\n"
    }
    out += "</svg>\n"
    return out
  }

  /// One SVG element for one scene item.
  static func element(_ item: SceneItem) -> String {
    switch item {
    case .polyline(let points, let stroke, let width, let dash, let role):
      let list = points.map { "\(n($0.x)),\(n($0.y))" }.joined(separator: " ")
      var s = "<polyline class=\"\(role.rawValue)\" points=\"\(list)\" fill=\"none\" stroke=\"\(stroke.css)\""
      s += " stroke-width=\"\(n(width))\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
      if !dash.isEmpty { s += " stroke-dasharray=\"\(dash.map(n).joined(separator: " "))\"" }
      return s + "/>"
    case .rect(let r, let fill, let stroke, let opacity, let role):
      var s =
        "<rect class=\"\(role.rawValue)\" x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\""
      s += " fill=\"\(fill?.css ?? "none")\""
      if opacity < 1 { s += " fill-opacity=\"\(n(opacity))\"" }
      if let stroke { s += " stroke=\"\(stroke.css)\"" }
      return s + "/>"
    case .circle(let center, let radius, let fill, let role):
      return
        "<circle class=\"\(role.rawValue)\" cx=\"\(n(center.x))\" cy=\"\(n(center.y))\" r=\"\(n(radius))\" fill=\"\(fill.css)\"/>"
    case .text(let text, let at, let size, let anchor, let rotation, let color, let bold, let role):
      var s = "<text class=\"\(role.rawValue)\" x=\"\(n(at.x))\" y=\"\(n(at.y))\" font-size=\"\(n(size))\""
      if anchor != .start { s += " text-anchor=\"\(anchor.rawValue)\"" }
      if bold { s += " font-weight=\"bold\"" }
      if rotation != 0 { s += " transform=\"rotate(\(n(rotation)) \(n(at.x)) \(n(at.y)))\"" }
      return s + " fill=\"\(color.css)\">\(escape(text))</text>"
    case .image(let png, let r):
      return
        "<image x=\"\(n(r.x))\" y=\"\(n(r.y))\" width=\"\(n(r.width))\" height=\"\(n(r.height))\" preserveAspectRatio=\"none\" href=\"data:image/png;base64,\(png.base64EncodedString())\"/>"
    }
  }

  /// XML-escapes text for element content and attribute values.
  public static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text.unicodeScalars {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      default:
        // Control characters are not allowed in XML 1.0; drop them.
        if c.value < 0x20 && c != "\n" && c != "\t" { continue }
        out.unicodeScalars.append(c)
      }
    }
    return out
  }

  /// A coordinate with at most two decimals and no trailing zeros.
  static func n(_ v: Double) -> String {
    guard v.isFinite else { return "0" }
    let r = (v * 100).rounded() / 100
    if r == r.rounded() { return String(Int(r)) }
    var s = String(format: "%.2f", r)
    while s.hasSuffix("0") { s.removeLast() }
    return s
  }
}
