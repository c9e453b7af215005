import Charts
import Foundation

/// A presentation model of a report: titled sections of blocks, rendered to HTML and Markdown.
///
/// Run reports, the run index and comparisons all build one; ``HTMLRenderer`` and
/// ``MarkdownRenderer`` turn any document into a page, so both formats always carry the same
/// content. All text here is plain (unescaped); renderers escape it.
public struct ReportDocument: Sendable {
  /// The page title.
  public var title: String
  /// Header lines under the title (experiment, run, status, …).
  public var header: [Block]
  /// Sections in order.
  public var sections: [ReportSection]

  /// Creates a document.
  public init(title: String, header: [Block] = [], sections: [ReportSection] = []) {
    self.title = title
    self.header = header
    self.sections = sections
  }

  /// Every figure of the document, in order (what the Markdown form writes as PNG files).
  public var figures: [Figure] {
    (header + sections.flatMap(\.blocks)).flatMap(\.figures)
  }

  /// Every embedded image, in order.
  public var images: [EmbeddedImage] {
    (header + sections.flatMap(\.blocks)).flatMap(\.images)
  }
}

/// A titled section; its `id` is the HTML anchor.
public struct ReportSection: Sendable {
  /// The anchor, e.g. `training`.
  public var id: String
  /// The heading.
  public var title: String
  /// The content.
  public var blocks: [Block]

  /// Creates a section.
  public init(id: String, title: String, blocks: [Block]) {
    self.id = id
    self.title = title
    self.blocks = blocks
  }
}

/// A chart or diagram with a file stem (for `figures/<id>.png`) and a title.
public struct Figure: Sendable {
  /// File stem, unique within a document, e.g. `training-loss`.
  public var id: String
  /// The figure's caption.
  public var title: String
  /// The laid-out drawing.
  public var scene: Scene

  /// Creates a figure from a chart (laid out now).
  public init(id: String, chart: Chart) {
    self.id = id
    self.title = chart.title
    self.scene = ChartLayout.layout(chart)
  }

  /// Creates a figure from a scene.
  public init(id: String, title: String, scene: Scene) {
    self.id = id
    self.title = title
    self.scene = scene
  }
}

/// A PNG shipped with the report (e.g. the sample grid): inline in HTML, a file in Markdown.
public struct EmbeddedImage: Sendable {
  /// File name under `figures/`.
  public var fileName: String
  /// Alternative text and caption.
  public var title: String
  /// PNG bytes.
  public var png: Data

  /// Creates an embedded image.
  public init(fileName: String, title: String, png: Data) {
    self.fileName = fileName
    self.title = title
    self.png = png
  }
}
