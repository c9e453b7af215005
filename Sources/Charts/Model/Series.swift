/// How an xy series is drawn.
public enum SeriesStyle: String, Sendable, Codable {
  /// Straight segments between points.
  case line
  /// Horizontal then vertical segments (a value holds until the next x), as for PR envelopes.
  case step
  /// Points only.
  case scatter
}

/// One named xy series.
public struct Series: Sendable {
  /// The legend label.
  public var name: String
  /// X values.
  public var x: [Double]
  /// Y values, as many as `x`; non-finite values break the line.
  public var y: [Double]
  /// Line, step or scatter.
  public var style: SeriesStyle
  /// Palette index; `nil` uses the series' position.
  public var colorIndex: Int?
  /// Draws a dashed line (e.g. a reference diagonal).
  public var dashed: Bool

  /// Creates a series; `x` and `y` are truncated to the shorter of the two.
  public init(
    name: String, x: [Double], y: [Double], style: SeriesStyle = .line, colorIndex: Int? = nil,
    dashed: Bool = false
  ) {
    let n = min(x.count, y.count)
    self.name = name
    self.x = Array(x.prefix(n))
    self.y = Array(y.prefix(n))
    self.style = style
    self.colorIndex = colorIndex
    self.dashed = dashed
  }
}
