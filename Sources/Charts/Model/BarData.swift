/// Grouped bar data: `series[s].values[c]` is the bar of series `s` in category `c`.
public struct BarData: Sendable {
  /// Category labels along the x axis.
  public var categories: [String]
  /// One entry per bar colour.
  public var series: [BarSeries]

  /// Creates grouped bars.
  public init(categories: [String], series: [BarSeries]) {
    self.categories = categories
    self.series = series
  }
}

/// One bar colour across categories.
public struct BarSeries: Sendable {
  /// The legend label.
  public var name: String
  /// One value per category (missing values draw no bar).
  public var values: [Double]

  /// Creates a bar series.
  public init(name: String, values: [Double]) {
    self.name = name
    self.values = values
  }
}
