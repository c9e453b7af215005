/// Margins, scales, grid, axes, ticks and axis titles of charts with numeric axes.
extension ChartLayout {
  /// The scale of `axis` over `data` (the data's extent; `nil` when there is none), with about
  /// one tick per `pixelsPerTick` pixels.
  static func scale(
    _ axis: Axis, data: ClosedRange<Double>?, pixels: Double, pixelsPerTick: Double
  ) -> NiceScale {
    let ticks = max(2, Int(pixels / pixelsPerTick))
    if let domain = axis.domain {
      return NiceScale(fixedLower: domain.lowerBound, fixedUpper: domain.upperBound, targetTicks: ticks)
    }
    var lo = data?.lowerBound ?? 0
    var hi = data?.upperBound ?? 1
    if axis.includesZero {
      lo = min(lo, 0)
      hi = max(hi, 0)
    }
    let nice = NiceScale(minimum: lo, maximum: hi, targetTicks: ticks)
    if axis.integerTicks && nice.step < 1 {
      return NiceScale(lower: lo.rounded(.down), upper: max(hi.rounded(.up), lo.rounded(.down) + 1), step: 1)
    }
    return nice
  }

  /// The frame of a chart with a numeric y axis; `x` is `nil` for categorical x axes (the
  /// returned x scale is then 0…1), `bottom` the height below the plot for x labels.
  static func frame(
    _ chart: Chart, x: ClosedRange<Double>?, y: ClosedRange<Double>?, legendWidth: Double,
    bottom: Double = 24
  ) -> PlotFrame {
    let xTitle = chart.xAxis.label.isEmpty ? 0.0 : 20.0
    let top = ChartStyle.top
    let height = max(chart.height - top - bottom - xTitle - ChartStyle.padding, 40)
    let yScale = scale(chart.yAxis, data: y, pixels: height, pixelsPerTick: 40)
    let tickWidth =
      yScale.ticks.map { TextMetrics.width(TickFormatter.label($0, scale: yScale), size: ChartStyle.tickSize) }
      .max() ?? 20
    let yTitle = chart.yAxis.label.isEmpty ? 0.0 : 22.0
    let left = ChartStyle.padding + yTitle + tickWidth + 8
    let right = legendWidth + ChartStyle.padding + 8
    let width = max(chart.width - left - right, 40)
    let xScale =
      x == nil && chart.xAxis.domain == nil
      ? NiceScale(fixedLower: 0, fixedUpper: 1)
      : scale(chart.xAxis, data: x, pixels: width, pixelsPerTick: 65)
    return PlotFrame(rect: Rect(x: left, y: top, width: width, height: height), x: xScale, y: yScale)
  }

  /// Draws horizontal grid lines, the y axis with ticks and labels (when `numericY`), the axis
  /// titles and, when `numericX`, vertical grid lines and the x ticks.
  static func drawAxes(
    _ frame: PlotFrame, _ chart: Chart, numericX: Bool, numericY: Bool = true, into scene: inout Scene
  ) {
    let r = frame.rect
    for t in numericY ? frame.y.ticks : [] {
      let y = frame.py(t)
      scene.add(
        .polyline(points: [Point(r.x, y), Point(r.x + r.width, y)], stroke: .grid, width: 1, dash: [], role: .grid))
      scene.add(.polyline(points: [Point(r.x - 5, y), Point(r.x, y)], stroke: .ink, width: 1, dash: [], role: .tick))
      scene.add(
        .text(
          TickFormatter.label(t, scale: frame.y), at: Point(r.x - 8, y + 4), size: ChartStyle.tickSize,
          anchor: .end, rotation: 0, color: .mutedInk, bold: false, role: .tick))
    }
    if numericX {
      for t in frame.x.ticks {
        let x = frame.px(t)
        scene.add(
          .polyline(points: [Point(x, r.y), Point(x, r.y + r.height)], stroke: .grid, width: 1, dash: [], role: .grid))
        scene.add(
          .polyline(
            points: [Point(x, r.y + r.height), Point(x, r.y + r.height + 5)], stroke: .ink, width: 1, dash: [],
            role: .tick))
        scene.add(
          .text(
            TickFormatter.label(t, scale: frame.x), at: Point(x, r.y + r.height + 18),
            size: ChartStyle.tickSize, anchor: .middle, rotation: 0, color: .mutedInk, bold: false,
            role: .tick))
      }
    }
    scene.add(
      .polyline(
        points: [Point(r.x, r.y), Point(r.x, r.y + r.height), Point(r.x + r.width, r.y + r.height)],
        stroke: .ink, width: 1, dash: [], role: .axis))
    if !chart.xAxis.label.isEmpty {
      scene.add(
        .text(
          chart.xAxis.label, at: Point(r.x + r.width / 2, chart.height - ChartStyle.padding),
          size: ChartStyle.labelSize, anchor: .middle, rotation: 0, color: .ink, bold: false,
          role: .axisLabel))
    }
    if !chart.yAxis.label.isEmpty {
      scene.add(
        .text(
          chart.yAxis.label, at: Point(ChartStyle.padding + 10, r.y + r.height / 2),
          size: ChartStyle.labelSize, anchor: .middle, rotation: -90, color: .ink, bold: false,
          role: .axisLabel))
    }
  }

  /// The smallest range holding every finite value, or `nil` when there is none.
  static func extent<S: Sequence>(_ values: S) -> ClosedRange<Double>? where S.Element == Double {
    var lo = Double.infinity
    var hi = -Double.infinity
    for v in values where v.isFinite {
      lo = min(lo, v)
      hi = max(hi, v)
    }
    return lo <= hi ? lo...hi : nil
  }
}
