/// A matrix drawn as coloured cells with their values written in them.
///
/// Rows run down the y axis and columns along the x axis, so a confusion matrix with
/// `values[truth][predicted]` reads as "true class" (y) by "predicted class" (x).
public struct Heatmap: Sendable {
  /// Row labels, top to bottom.
  public var rowLabels: [String]
  /// Column labels, left to right.
  public var columnLabels: [String]
  /// `values[row][column]`.
  public var values: [[Double]]
  /// Colours each row by its share of the row total (a recall view), instead of by the
  /// largest value overall; the written numbers stay the raw values.
  public var normalizesRows: Bool

  /// Creates a heat map.
  public init(
    rowLabels: [String], columnLabels: [String], values: [[Double]], normalizesRows: Bool = false
  ) {
    self.rowLabels = rowLabels
    self.columnLabels = columnLabels
    self.values = values
    self.normalizesRows = normalizesRows
  }
}
