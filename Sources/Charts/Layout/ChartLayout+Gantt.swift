/// Gantt charts: rows of bars over a numeric x axis.
extension ChartLayout {
  static func layoutGantt(_ chart: Chart, _ gantt: Gantt, into scene: inout Scene) {
    let legend = gantt.categories.enumerated().map { i, name in
      LegendEntry(name: name, color: Palette.color(i), dash: [], isLine: false)
    }
    let rows = gantt.rows.map { TextMetrics.truncated($0, maxCharacters: 14) }
    let labelWidth = rows.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
    let xTitle = chart.xAxis.label.isEmpty ? 0.0 : 20.0
    let left = ChartStyle.padding + labelWidth + 10
    let right = legendWidth(legend) + ChartStyle.padding + 8
    let height = max(chart.height - ChartStyle.top - 24 - xTitle - ChartStyle.padding, 40)
    let width = max(chart.width - left - right, 40)
    let x = scale(
      chart.xAxis, data: extent(gantt.bars.flatMap { [$0.start, $0.end] } + [0]), pixels: width, pixelsPerTick: 65)
    let frame = PlotFrame(
      rect: Rect(x: left, y: ChartStyle.top, width: width, height: height), x: x,
      y: NiceScale(fixedLower: 0, fixedUpper: Double(max(rows.count, 1))))
    var axes = chart
    axes.yAxis.label = ""
    drawAxes(frame, axes, numericX: true, numericY: false, into: &scene)
    let band = height / Double(max(rows.count, 1))
    for (i, name) in rows.enumerated() {
      scene.add(
        .text(
          name, at: Point(left - 8, frame.rect.y + (Double(i) + 0.5) * band + 4), size: ChartStyle.tickSize,
          anchor: .end, rotation: 0, color: .ink, bold: false, role: .tick))
    }
    for bar in gantt.bars where bar.row >= 0 && bar.row < rows.count && bar.end > bar.start {
      let x0 = frame.px(bar.start), x1 = frame.px(bar.end)
      let rect = Rect(
        x: x0, y: frame.rect.y + Double(bar.row) * band + band * 0.15, width: max(x1 - x0, 0.75),
        height: band * 0.7)
      scene.add(.rect(rect, fill: Palette.color(bar.category), stroke: .white, opacity: 0.9, role: .mark))
      if !bar.label.isEmpty, TextMetrics.width(bar.label, size: 9) + 4 < rect.width {
        scene.add(
          .text(
            bar.label, at: Point(rect.x + rect.width / 2, rect.y + rect.height / 2 + 3), size: 9, anchor: .middle,
            rotation: 0, color: .white, bold: false, role: .annotation))
      }
    }
    drawLegend(legend, beside: frame.rect, into: &scene)
  }
}
