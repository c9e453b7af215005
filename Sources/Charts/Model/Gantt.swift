/// A Gantt chart: one row per resource, bars over a numeric time axis, coloured by category
/// (e.g. the task a processor runs), optionally labelled (e.g. the frame number).
public struct Gantt: Sendable {
  /// One bar.
  public struct Bar: Sendable {
    /// Row index into ``Gantt/rows``, category index into ``Gantt/categories``.
    public var row: Int, category: Int
    public var start: Double, end: Double
    /// Drawn inside the bar when it fits.
    public var label: String

    /// Creates a bar.
    public init(row: Int, category: Int, start: Double, end: Double, label: String = "") {
      (self.row, self.category, self.start, self.end, self.label) = (row, category, start, end, label)
    }
  }

  /// Row names, top to bottom.
  public var rows: [String]
  /// Category names (legend), coloured in palette order.
  public var categories: [String]
  public var bars: [Bar]

  /// Creates a Gantt chart.
  public init(rows: [String], categories: [String], bars: [Bar]) {
    (self.rows, self.categories, self.bars) = (rows, categories, bars)
  }
}
