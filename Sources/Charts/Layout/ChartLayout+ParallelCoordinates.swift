/// Parallel-coordinates plots: evenly spaced vertical axes, one polyline per item.
extension ChartLayout {
  /// The horizontal positions of `count` axes spread over `plot`, first at the left edge and
  /// last at the right edge (a single axis in the middle).
  static func axisPositions(_ count: Int, in plot: Rect) -> [Double] {
    guard count > 1 else { return count == 1 ? [plot.x + plot.width / 2] : [] }
    return (0..<count).map { plot.x + plot.width * Double($0) / Double(count - 1) }
  }

  /// The plot rectangle of a parallel-coordinates chart (axes span it from left to right).
  static func parallelPlot(_ chart: Chart, _ pc: ParallelCoordinates, legendWidth: Double) -> Rect {
    let names = pc.dimensions.map(\.name)
    let firstTicks = pc.dimensions.first?.ticks.map { TextMetrics.width($0.label, size: 10) }.max() ?? 0
    let halfFirst = TextMetrics.width(names.first ?? "", size: ChartStyle.tickSize) / 2
    let halfLast = TextMetrics.width(names.last ?? "", size: ChartStyle.tickSize) / 2
    let left = ChartStyle.padding + max(firstTicks + 10, min(halfFirst, 80))
    let right = legendWidth + ChartStyle.padding + max(8, min(halfLast, 80) - legendWidth)
    let height = max(chart.height - ChartStyle.top - 36 - ChartStyle.padding, 40)
    return Rect(x: left, y: ChartStyle.top + 6, width: max(chart.width - left - right, 40), height: height)
  }

  static func layoutParallel(_ chart: Chart, _ pc: ParallelCoordinates, into scene: inout Scene) {
    let plain = Palette.color(0).mixed(with: .white, 0.45)
    let accent = Palette.color(1)
    let anyHighlighted = pc.highlighted.contains(true)
    var legend = [LegendEntry(name: pc.itemName, color: plain, dash: [], isLine: true)]
    if anyHighlighted { legend.append(LegendEntry(name: pc.highlightName, color: accent, dash: [], isLine: true)) }
    if !wantsLegend(chart, count: legend.count) { legend = [] }
    let plot = parallelPlot(chart, pc, legendWidth: legendWidth(legend))
    let xs = axisPositions(pc.dimensions.count, in: plot)
    func y(_ fraction: Double) -> Double { plot.y + plot.height * (1 - fraction) }
    for x in xs {
      scene.add(
        .polyline(
          points: [Point(x, plot.y), Point(x, plot.y + plot.height)], stroke: .ink, width: 1, dash: [], role: .axis))
    }
    // plain items first, highlighted ones on top
    func isOn(_ i: Int) -> Bool { pc.highlighted.indices.contains(i) && pc.highlighted[i] }
    let order = (0..<pc.itemCount).filter { !isOn($0) } + (0..<pc.itemCount).filter(isOn)
    for item in order {
      let on = isOn(item)
      var run: [Point] = []
      func flush() {
        if run.count == 1 {
          scene.add(.circle(center: run[0], radius: on ? 3 : 2, fill: on ? accent : plain, role: .mark))
        } else if run.count > 1 {
          scene.add(.polyline(points: run, stroke: on ? accent : plain, width: on ? 2.2 : 1.2, dash: [], role: .mark))
        }
        run = []
      }
      for (k, d) in pc.dimensions.enumerated() {
        if item < d.values.count, let f = d.fraction(d.values[item]) {
          run.append(Point(xs[k], y(f)))
        } else {
          flush()
        }
      }
      flush()
    }
    let maxName = Int(max(40, plot.width / Double(max(pc.dimensions.count - 1, 1))) / (ChartStyle.tickSize * 0.6))
    for (k, d) in pc.dimensions.enumerated() {
      for tick in d.ticks {
        guard let f = d.fraction(tick.value) else { continue }
        let ty = y(f)
        scene.add(
          .polyline(points: [Point(xs[k] - 4, ty), Point(xs[k], ty)], stroke: .ink, width: 1, dash: [], role: .tick))
        scene.add(
          .text(
            TextMetrics.truncated(tick.label, maxCharacters: 12), at: Point(xs[k] - 6, ty + 3.5), size: 10,
            anchor: .end, rotation: 0, color: .mutedInk, bold: false, role: .tick))
      }
      scene.add(
        .text(
          TextMetrics.truncated(d.name, maxCharacters: maxName), at: Point(xs[k], plot.y + plot.height + 20),
          size: ChartStyle.tickSize, anchor: .middle, rotation: 0, color: .ink, bold: true, role: .axisLabel))
    }
    drawLegend(legend, beside: plot, into: &scene)
  }
}
