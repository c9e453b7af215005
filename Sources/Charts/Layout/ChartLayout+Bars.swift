/// Grouped bar charts and histograms.
extension ChartLayout {
  static func layoutBars(_ chart: Chart, _ data: BarData, into scene: inout Scene) {
    let entries = data.series.enumerated().map { i, s in
      LegendEntry(name: s.name, color: Palette.color(i), dash: [], isLine: false)
    }
    let legend = wantsLegend(chart, count: data.series.count) ? entries : []
    let labels = data.categories.map { TextMetrics.truncated($0, maxCharacters: 18) }
    let widest = labels.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
    var yAxisChart = chart
    yAxisChart.yAxis.includesZero = true
    // First pass to learn the band width; rotate labels when they do not fit a band.
    let probe = frame(yAxisChart, x: nil, y: extent(data.series.flatMap(\.values)), legendWidth: legendWidth(legend))
    let band = probe.rect.width / Double(max(data.categories.count, 1))
    let rotated = widest > band - 4
    let bottom = rotated ? min(widest * 0.72 + 16, chart.height * 0.35) : 24
    let frame = self.frame(
      yAxisChart, x: nil, y: extent(data.series.flatMap(\.values)), legendWidth: legendWidth(legend),
      bottom: bottom)
    drawAxes(frame, yAxisChart, numericX: false, into: &scene)
    let r = frame.rect
    let bandWidth = r.width / Double(max(data.categories.count, 1))
    let barWidth = bandWidth * 0.8 / Double(max(data.series.count, 1))
    let every = max(1, Int((14 / max(bandWidth, 0.1)).rounded(.up)))
    for (c, label) in labels.enumerated() {
      let left = r.x + Double(c) * bandWidth + bandWidth * 0.1
      for (s, series) in data.series.enumerated() where c < series.values.count {
        let v = series.values[c]
        guard v.isFinite else { continue }
        let y0 = frame.py(max(0, frame.y.lower))
        let y1 = frame.py(v)
        scene.add(
          .rect(
            Rect(x: left + Double(s) * barWidth, y: min(y0, y1), width: max(barWidth - 1, 1), height: abs(y0 - y1)),
            fill: entries[s].color, stroke: nil, opacity: 1, role: .mark))
      }
      guard c % every == 0 else { continue }
      let cx = r.x + (Double(c) + 0.5) * bandWidth
      scene.add(
        .text(
          label, at: Point(cx, r.y + r.height + (rotated ? 12 : 18)), size: ChartStyle.tickSize,
          anchor: rotated ? .end : .middle, rotation: rotated ? -45 : 0, color: .mutedInk,
          bold: false, role: .tick))
    }
    drawLegend(legend, beside: r, into: &scene)
  }

  static func layoutHistogram(_ chart: Chart, _ series: [HistogramSeries], into scene: inout Scene) {
    let entries = series.enumerated().map { i, s in
      LegendEntry(name: s.name, color: Palette.color(i), dash: [], isLine: false)
    }
    let legend = wantsLegend(chart, count: series.count) ? entries : []
    var yAxisChart = chart
    yAxisChart.yAxis.includesZero = true
    let frame = self.frame(
      yAxisChart, x: extent(series.flatMap(\.edges)), y: extent(series.flatMap(\.counts)),
      legendWidth: legendWidth(legend))
    drawAxes(frame, yAxisChart, numericX: true, into: &scene)
    let opacity = series.count > 1 ? 0.55 : 0.9
    for (s, h) in series.enumerated() {
      for (i, count) in h.counts.enumerated() where i + 1 < h.edges.count && count > 0 {
        let x0 = frame.px(h.edges[i])
        let x1 = frame.px(h.edges[i + 1])
        let y0 = frame.py(0)
        let y1 = frame.py(count)
        scene.add(
          .rect(
            Rect(x: x0, y: y1, width: max(x1 - x0, 0.5), height: y0 - y1), fill: entries[s].color,
            stroke: nil, opacity: opacity, role: .mark))
      }
    }
    drawLegend(legend, beside: frame.rect, into: &scene)
  }
}
