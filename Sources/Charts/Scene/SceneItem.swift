import Foundation

/// Horizontal alignment of text relative to its anchor point.
public enum TextAnchor: String, Sendable {
  /// The text starts at the point.
  case start
  /// The text is centred on the point.
  case middle
  /// The text ends at the point.
  case end
}

/// What an item is, for the SVG `class` attribute (used by tests and stylesheets).
public enum SceneRole: String, Sendable {
  /// Axis lines.
  case axis
  /// Tick marks and tick labels.
  case tick
  /// Axis titles.
  case axisLabel = "axis-label"
  /// The chart title.
  case title
  /// Legend swatches and names.
  case legend
  /// Grid lines.
  case grid
  /// Data marks (lines, bars, cells, points).
  case mark
  /// Text written on marks (cell values, captions).
  case annotation
}

/// One drawing primitive of a ``Scene``.
public enum SceneItem: Sendable {
  /// An open polyline.
  case polyline(points: [Point], stroke: ChartColor, width: Double, dash: [Double], role: SceneRole)
  /// A filled and/or stroked rectangle; `opacity` applies to the fill.
  case rect(
    Rect, fill: ChartColor?, stroke: ChartColor?, opacity: Double, role: SceneRole)
  /// A filled circle.
  case circle(center: Point, radius: Double, fill: ChartColor, role: SceneRole)
  /// A line of text whose baseline starts, centres or ends at `at`, rotated by `rotation`
  /// degrees (clockwise, about `at`).
  case text(
    String, at: Point, size: Double, anchor: TextAnchor, rotation: Double, color: ChartColor,
    bold: Bool, role: SceneRole)
  /// A PNG image scaled into `rect`.
  case image(png: Data, rect: Rect)
}
