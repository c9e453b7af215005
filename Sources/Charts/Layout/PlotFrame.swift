/// The plot area of a chart and the mapping from data to pixels.
struct PlotFrame {
  /// The plot rectangle (inside the axes).
  var rect: Rect
  /// The horizontal scale.
  var x: NiceScale
  /// The vertical scale.
  var y: NiceScale

  /// The horizontal pixel position of data value `v`.
  func px(_ v: Double) -> Double {
    rect.x + (v - x.lower) / (x.upper - x.lower) * rect.width
  }

  /// The vertical pixel position of data value `v` (larger values higher up).
  func py(_ v: Double) -> Double {
    rect.y + rect.height - (v - y.lower) / (y.upper - y.lower) * rect.height
  }

  /// The pixel position of a data point.
  func point(_ vx: Double, _ vy: Double) -> Point { Point(px(vx), py(vy)) }
}

/// Layout constants shared by every chart kind.
enum ChartStyle {
  static let titleSize = 15.0
  static let labelSize = 12.0
  static let tickSize = 11.0
  static let legendSize = 11.0
  static let top = 40.0
  static let padding = 12.0
  static let lineWidth = 2.0
}
