/// Line, step and scatter charts.
extension ChartLayout {
  static func layoutXY(_ chart: Chart, _ series: [Series], into scene: inout Scene) {
    let entries = series.enumerated().map { i, s in
      let index = s.colorIndex ?? i
      return LegendEntry(
        name: s.name, color: Palette.color(index), dash: s.dashed ? [6, 4] : Palette.dash(index),
        isLine: s.style != .scatter, isPoint: s.style == .scatter)
    }
    let legend = wantsLegend(chart, count: series.count) ? entries : []
    let frame = self.frame(
      chart, x: extent(series.flatMap(\.x)), y: extent(series.flatMap(\.y)),
      legendWidth: legendWidth(legend))
    drawAxes(frame, chart, numericX: true, into: &scene)
    for (s, entry) in zip(series, entries) {
      switch s.style {
      case .scatter:
        for (x, y) in zip(s.x, s.y) where x.isFinite && y.isFinite {
          scene.add(.circle(center: frame.point(x, y), radius: 3, fill: entry.color, role: .mark))
        }
      case .line, .step:
        for run in finiteRuns(s) {
          var points: [Point] = []
          for (k, (x, y)) in run.enumerated() {
            if s.style == .step, k > 0 { points.append(frame.point(x, run[k - 1].1)) }
            points.append(frame.point(x, y))
          }
          if points.count == 1 {
            scene.add(.circle(center: points[0], radius: 3.5, fill: entry.color, role: .mark))
            continue
          }
          scene.add(
            .polyline(
              points: points, stroke: entry.color, width: ChartStyle.lineWidth, dash: entry.dash,
              role: .mark))
        }
      }
    }
    drawLegend(legend, beside: frame.rect, into: &scene)
  }

  /// Maximal runs of consecutive points with finite coordinates.
  static func finiteRuns(_ s: Series) -> [[(Double, Double)]] {
    var runs: [[(Double, Double)]] = []
    var current: [(Double, Double)] = []
    for (x, y) in zip(s.x, s.y) {
      if x.isFinite && y.isFinite {
        current.append((x, y))
      } else if !current.isEmpty {
        runs.append(current)
        current = []
      }
    }
    if !current.isEmpty { runs.append(current) }
    return runs
  }
}
