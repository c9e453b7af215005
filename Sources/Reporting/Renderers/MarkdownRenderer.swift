import Foundation

/// Renders a ``ReportDocument`` as GitHub-flavoured Markdown.
///
/// Figures are referenced as `figures/<id>.png` and images as `figures/<file>`; the writer
/// stores those files next to the Markdown. Human-readable, not for parsing (use the JSON
/// summary for that). Text is escaped so that names from users' files cannot inject HTML or
/// break tables.
public enum MarkdownRenderer {
  /// The Markdown text of `document`.
  public static func render(_ document: ReportDocument, figuresFolder: String = "figures") -> String {
    var out = "# \(escape(document.title))\n\n"
    for block in document.header { out += render(block, figuresFolder) }
    for section in document.sections {
      out += "## \(escape(section.title))\n\n"
      for block in section.blocks { out += render(block, figuresFolder) }
    }
    return out
  }

  static func render(_ block: Block, _ folder: String) -> String {
    switch block {
    case .paragraph(let inlines):
      return render(inlines) + "\n\n"
    case .table(let table):
      var out = "| " + table.headers.map { $0.isEmpty ? " " : escape($0) }.joined(separator: " | ") + " |\n"
      out +=
        "|" + table.headers.indices.map { table.numericColumns.contains($0) ? " --: " : " --- " }.joined(separator: "|")
        + "|\n"
      for row in table.rows { out += "| " + row.map { render([$0]) }.joined(separator: " | ") + " |\n" }
      return out + "\n"
    case .figure(let figure):
      return "![\(escape(figure.title))](\(folder)/\(figure.id).png)\n\n"
    case .figureRow(let figures):
      return figures.map { render(.figure($0), folder) }.joined()
    case .image(let image):
      return "![\(escape(image.title))](\(folder)/\(image.fileName))\n\n"
    case .code(let text, let language):
      var fence = "```"
      while text.contains(fence) { fence += "`" }
      return "\(fence)\(language)\n\(text)\(text.hasSuffix("\n") ? "" : "\n")\(fence)\n\n"
    case .collapsible(let summary, let blocks):
      return "<details><summary>\(HTML.escape(summary))</summary>\n\n" + blocks.map { render($0, folder) }.joined()
        + "</details>\n\n"
    case .notice(let inlines, let isError):
      return "> \(isError ? "**Error:** " : "")\(render(inlines))\n\n"
    }
  }

  static func render(_ inlines: [Inline]) -> String {
    inlines.map { inline -> String in
      switch inline {
      case .text(let s): return escape(s)
      case .strong(let s): return s.isEmpty ? "" : "**\(escape(s))**"
      case .code(let s): return codeSpan(s)
      case .link(let s, let href):
        return
          "[\(escape(s))](\(href.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")))"
      case .badge(let s, let ok): return ok ? "✅ \(escape(s))" : "❌ \(escape(s))"
      }
    }.joined()
  }

  /// Text safe in Markdown paragraphs and table cells: HTML-significant characters become
  /// entities and Markdown punctuation is backslash-escaped; newlines become spaces.
  public static func escape(_ text: String) -> String {
    var out = ""
    for c in text {
      switch c {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\\", "`", "*", "_", "[", "]", "|", "#", "!": out += "\\\(c)"
      case "\n", "\r": out += " "
      default: out.append(c)
      }
    }
    return out
  }

  /// A code span that survives backticks and pipes inside it.
  static func codeSpan(_ text: String) -> String {
    let clean = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
    let fence = clean.contains("`") ? "``" : "`"
    return "\(fence)\(fence.count > 1 ? " " : "")\(clean)\(fence.count > 1 ? " " : "")\(fence)"
  }
}
