/// A chart description, independent of any output format.
///
/// ``ChartLayout`` turns it into a ``Scene`` (positions in pixels), which ``SVGRenderer`` and
/// ``PNGRenderer`` draw; both outputs therefore show the same ticks, labels and legend.
public struct Chart: Sendable {
  /// The title drawn above the plot.
  public var title: String
  /// Width in CSS pixels (PNG pixels at scale 1).
  public var width: Double
  /// Height in CSS pixels.
  public var height: Double
  /// The horizontal axis (ignored by image grids; category labels come from bar data).
  public var xAxis: Axis
  /// The vertical axis.
  public var yAxis: Axis
  /// What is plotted.
  public var content: ChartContent
  /// Whether to draw a legend; `nil` draws one when there is more than one named series.
  public var showsLegend: Bool?

  /// Creates a chart.
  public init(
    title: String, width: Double = 640, height: Double = 400, xAxis: Axis = Axis(),
    yAxis: Axis = Axis(), content: ChartContent, showsLegend: Bool? = nil
  ) {
    self.title = title
    self.width = width
    self.height = height
    self.xAxis = xAxis
    self.yAxis = yAxis
    self.content = content
    self.showsLegend = showsLegend
  }
}

/// The marks of a chart.
public enum ChartContent: Sendable {
  /// Line, step or scatter series over numeric x and y.
  case xy([Series])
  /// Grouped bars: one group per category, one bar per series.
  case bars(BarData)
  /// Histograms over shared numeric bins, overlaid translucently.
  case histogram([HistogramSeries])
  /// A matrix of values as coloured cells (e.g. a confusion matrix).
  case heatmap(Heatmap)
  /// PNG images in a grid with captions.
  case imageGrid(ImageGrid)
  /// Bars on rows over time (a schedule).
  case gantt(Gantt)
  /// One vertical axis per dimension and one polyline per item across them.
  case parallelCoordinates(ParallelCoordinates)
}
