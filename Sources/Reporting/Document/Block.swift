/// A block of a report section.
public indirect enum Block: Sendable {
  /// A paragraph of inline pieces.
  case paragraph([Inline])
  /// A table.
  case table(ReportTable)
  /// A chart or diagram.
  case figure(Figure)
  /// Several figures side by side (HTML) or one after another (Markdown).
  case figureRow([Figure])
  /// A PNG image.
  case image(EmbeddedImage)
  /// Preformatted text; `language` is the Markdown fence info (`json`, `mermaid`).
  case code(String, language: String)
  /// Content hidden behind a summary line (HTML `<details>`; Markdown shows it in full).
  case collapsible(summary: String, [Block])
  /// A highlighted message; `isError` styles it as a failure.
  case notice([Inline], isError: Bool)

  /// Figures in this block, recursively.
  var figures: [Figure] {
    switch self {
    case .figure(let f): return [f]
    case .figureRow(let fs): return fs
    case .collapsible(_, let blocks): return blocks.flatMap(\.figures)
    default: return []
    }
  }

  /// Images in this block, recursively.
  var images: [EmbeddedImage] {
    switch self {
    case .image(let i): return [i]
    case .collapsible(_, let blocks): return blocks.flatMap(\.images)
    default: return []
    }
  }
}

/// Inline content of paragraphs and table cells.
public enum Inline: Sendable, Equatable {
  /// Plain text.
  case text(String)
  /// Emphasised text.
  case strong(String)
  /// Code (hashes, file names, settings).
  case code(String)
  /// A relative link.
  case link(String, href: String)
  /// A pass/fail badge.
  case badge(String, ok: Bool)
}

/// A table of inline cells; numeric columns are right-aligned.
public struct ReportTable: Sendable {
  /// Column headings.
  public var headers: [String]
  /// Rows of cells, as many as `headers`.
  public var rows: [[Inline]]
  /// Indices of right-aligned (numeric) columns.
  public var numericColumns: Set<Int>
  /// Whether clicking a heading sorts the table (HTML only).
  public var sortable: Bool

  /// Creates a table.
  public init(headers: [String], rows: [[Inline]], numericColumns: Set<Int> = [], sortable: Bool = false) {
    self.headers = headers
    self.rows = rows
    self.numericColumns = numericColumns
    self.sortable = sortable
  }

  /// A two-column key/value table.
  public static func keyValues(_ pairs: [(String, Inline)]) -> ReportTable {
    ReportTable(headers: ["", ""], rows: pairs.map { [.strong($0.0), $0.1] })
  }
}
