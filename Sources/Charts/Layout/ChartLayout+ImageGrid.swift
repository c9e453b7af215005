import Foundation

/// Image grids.
extension ChartLayout {
  static func layoutImageGrid(_ chart: Chart, _ grid: ImageGrid, into scene: inout Scene) {
    let count = grid.images.count
    guard count > 0 else { return }
    let columns = min(grid.columns, count)
    let rows = (count + columns - 1) / columns
    let captionHeight = 16.0
    let cellWidth = (chart.width - 2 * ChartStyle.padding) / Double(columns)
    let cellHeight = (chart.height - ChartStyle.top - ChartStyle.padding) / Double(rows)
    for (n, image) in grid.images.enumerated() {
      let cellX = ChartStyle.padding + Double(n % columns) * cellWidth
      let cellY = ChartStyle.top + Double(n / columns) * cellHeight
      let boxWidth = max(cellWidth - 8, 1)
      let boxHeight = max(cellHeight - captionHeight - 6, 1)
      let size = PNGHeader.size(of: image.png) ?? (width: 1, height: 1)
      let fit = min(boxWidth / Double(size.width), boxHeight / Double(size.height))
      let w = Double(size.width) * fit
      let h = Double(size.height) * fit
      let rect = Rect(x: cellX + (cellWidth - w) / 2, y: cellY + (boxHeight - h) / 2, width: w, height: h)
      scene.add(.image(png: image.png, rect: rect))
      scene.add(
        .text(
          TextMetrics.truncated(image.caption, maxCharacters: max(4, Int(cellWidth / 6.6))),
          at: Point(cellX + cellWidth / 2, cellY + boxHeight + 13), size: ChartStyle.tickSize,
          anchor: .middle, rotation: 0, color: .ink, bold: false, role: .annotation))
    }
  }
}
