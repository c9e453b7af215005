import Foundation

/// Heat maps (confusion matrices).
extension ChartLayout {
  static func layoutHeatmap(_ chart: Chart, _ map: Heatmap, into scene: inout Scene) {
    let rows = map.rowLabels.map { TextMetrics.truncated($0, maxCharacters: 18) }
    let columns = map.columnLabels.map { TextMetrics.truncated($0, maxCharacters: 18) }
    let rowWidth = rows.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
    let columnWidth = columns.map { TextMetrics.width($0, size: ChartStyle.tickSize) }.max() ?? 0
    let yTitle = chart.yAxis.label.isEmpty ? 0.0 : 22.0
    let xTitle = chart.xAxis.label.isEmpty ? 0.0 : 20.0
    let left = ChartStyle.padding + yTitle + rowWidth + 8
    let available = chart.width - left - ChartStyle.padding
    let n = Double(max(columns.count, 1))
    let rotated = columnWidth > available / n - 4
    let bottom = (rotated ? columnWidth * 0.72 + 16 : 24) + xTitle + ChartStyle.padding
    let cell = max(4, min(available / n, (chart.height - ChartStyle.top - bottom) / Double(max(rows.count, 1))))
    let origin = Point(left, ChartStyle.top)
    let peak = map.values.flatMap { $0 }.filter(\.isFinite).max() ?? 0
    for (i, row) in map.values.enumerated() where i < rows.count {
      let rowTotal = row.filter(\.isFinite).reduce(0, +)
      for (j, v) in row.enumerated() where j < columns.count {
        let scale = map.normalizesRows ? rowTotal : peak
        let t = scale > 0 && v.isFinite ? v / scale : 0
        let fill = Palette.sequential(t)
        let rect = Rect(x: origin.x + Double(j) * cell, y: origin.y + Double(i) * cell, width: cell, height: cell)
        scene.add(.rect(rect, fill: fill, stroke: .white, opacity: 1, role: .mark))
        if cell >= 16 {
          let size = min(11, cell * 0.38)
          scene.add(
            .text(
              TickFormatter.compact(v), at: Point(rect.x + cell / 2, rect.y + cell / 2 + size * 0.35),
              size: size, anchor: .middle, rotation: 0, color: fill.luminance < 0.5 ? .white : .ink,
              bold: false, role: .annotation))
        }
      }
      scene.add(
        .text(
          rows[i], at: Point(origin.x - 6, origin.y + (Double(i) + 0.5) * cell + 4), size: ChartStyle.tickSize,
          anchor: .end, rotation: 0, color: .ink, bold: false, role: .tick))
    }
    let gridBottom = origin.y + Double(rows.count) * cell
    for (j, label) in columns.enumerated() {
      scene.add(
        .text(
          label, at: Point(origin.x + (Double(j) + 0.5) * cell, gridBottom + (rotated ? 12 : 16)),
          size: ChartStyle.tickSize, anchor: rotated ? .end : .middle, rotation: rotated ? -45 : 0,
          color: .ink, bold: false, role: .tick))
    }
    let gridWidth = Double(columns.count) * cell
    if !chart.xAxis.label.isEmpty {
      scene.add(
        .text(
          chart.xAxis.label,
          at: Point(
            origin.x + gridWidth / 2, min(chart.height - ChartStyle.padding, gridBottom + bottom - ChartStyle.padding)),
          size: ChartStyle.labelSize, anchor: .middle, rotation: 0, color: .ink, bold: false, role: .axisLabel))
    }
    if !chart.yAxis.label.isEmpty {
      scene.add(
        .text(
          chart.yAxis.label, at: Point(ChartStyle.padding + 10, origin.y + Double(rows.count) * cell / 2),
          size: ChartStyle.labelSize, anchor: .middle, rotation: -90, color: .ink, bold: false, role: .axisLabel))
    }
  }
}
