/// Lays out a ``Chart`` as a ``Scene``: margins, nice ticks, axes, marks and the legend.
public enum ChartLayout {
  /// The scene of `chart`, in the chart's size.
  public static func layout(_ chart: Chart) -> Scene {
    var scene = Scene(width: chart.width, height: chart.height, title: chart.title)
    scene.add(
      .text(
        chart.title, at: Point(chart.width / 2, 24), size: ChartStyle.titleSize, anchor: .middle,
        rotation: 0, color: .ink, bold: true, role: .title))
    switch chart.content {
    case .xy(let series): layoutXY(chart, series, into: &scene)
    case .bars(let data): layoutBars(chart, data, into: &scene)
    case .histogram(let series): layoutHistogram(chart, series, into: &scene)
    case .heatmap(let heatmap): layoutHeatmap(chart, heatmap, into: &scene)
    case .imageGrid(let grid): layoutImageGrid(chart, grid, into: &scene)
    case .gantt(let gantt): layoutGantt(chart, gantt, into: &scene)
    case .parallelCoordinates(let pc): layoutParallel(chart, pc, into: &scene)
    }
    return scene
  }

  /// A legend entry: its name, colour, dash and whether its swatch is a line or a box.
  struct LegendEntry {
    var name: String
    var color: ChartColor
    var dash: [Double]
    var isLine: Bool
    var isPoint = false
  }

  /// The width the legend needs on the right of the plot (0 when there is none).
  static func legendWidth(_ entries: [LegendEntry]) -> Double {
    guard !entries.isEmpty else { return 0 }
    let names = entries.map { TextMetrics.truncated($0.name, maxCharacters: 28) }
    let widest = names.map { TextMetrics.width($0, size: ChartStyle.legendSize) }.max() ?? 0
    return widest + 40
  }

  /// Draws the legend to the right of `plot`, one entry per line, as many as fit.
  static func drawLegend(_ entries: [LegendEntry], beside plot: Rect, into scene: inout Scene) {
    let lineHeight = 17.0
    let capacity = max(1, Int(plot.height / lineHeight))
    let shown = entries.count > capacity ? Array(entries.prefix(capacity - 1)) : entries
    let x = plot.x + plot.width + 14
    for (i, entry) in shown.enumerated() {
      let y = plot.y + 6 + Double(i) * lineHeight
      if entry.isPoint {
        scene.add(.circle(center: Point(x + 9, y), radius: 4, fill: entry.color, role: .legend))
      } else if entry.isLine {
        scene.add(
          .polyline(
            points: [Point(x, y), Point(x + 18, y)], stroke: entry.color, width: 2.5,
            dash: entry.dash, role: .legend))
      } else {
        scene.add(
          .rect(
            Rect(x: x + 3, y: y - 5, width: 12, height: 10), fill: entry.color, stroke: nil,
            opacity: 1, role: .legend))
      }
      scene.add(
        .text(
          TextMetrics.truncated(entry.name, maxCharacters: 28), at: Point(x + 24, y + 4),
          size: ChartStyle.legendSize, anchor: .start, rotation: 0, color: .ink, bold: false,
          role: .legend))
    }
    if shown.count < entries.count {
      let y = plot.y + 6 + Double(shown.count) * lineHeight
      scene.add(
        .text(
          "+\(entries.count - shown.count) more", at: Point(x + 24, y + 4),
          size: ChartStyle.legendSize, anchor: .start, rotation: 0, color: .mutedInk, bold: false,
          role: .legend))
    }
  }

  /// Whether to draw a legend for `count` named entries.
  static func wantsLegend(_ chart: Chart, count: Int) -> Bool {
    chart.showsLegend ?? (count > 1)
  }
}
