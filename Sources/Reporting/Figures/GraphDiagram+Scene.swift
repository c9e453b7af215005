import Charts

/// Layered layout of a ``GraphDiagram`` into a ``Scene``.
extension GraphDiagram {
  /// The diagram drawn top to bottom; `nil` for graphs too large to draw legibly (> 400 nodes).
  public func scene(title: String) -> Scene? {
    guard nodes.count <= 400 else { return nil }
    // Longest-path layering; bounded relaxation also terminates on (malformed) cycles.
    var layer = [Int](repeating: 0, count: nodes.count)
    for _ in 0..<nodes.count {
      var changed = false
      for (a, b) in edges where layer[b] < layer[a] + 1 && layer[a] + 1 < nodes.count {
        layer[b] = layer[a] + 1
        changed = true
      }
      if !changed { break }
    }
    let fontSize = 11.0
    let lineHeight = 14.0
    let sizes = nodes.map { node -> (Double, Double) in
      let widest = node.lines.map { Double(min($0.count, 40)) * fontSize * 0.6 }.max() ?? 40
      return (min(max(widest + 18, 80), 280), Double(node.lines.count) * lineHeight + 10)
    }
    let layers = (layer.max() ?? 0) + 1
    var members = [[Int]](repeating: [], count: layers)
    for i in nodes.indices { members[layer[i]].append(i) }
    let gapX = 16.0
    let gapY = 30.0
    let rowWidths = members.map { row in row.map { sizes[$0].0 }.reduce(0, +) + gapX * Double(max(row.count - 1, 0)) }
    let rowHeights = members.map { row in row.map { sizes[$0].1 }.max() ?? 0 }
    // Edges that skip layers run in lanes on the right instead of through boxes.
    let longEdges = edges.filter { layer[$0.1] - layer[$0.0] > 1 }
    let laneGap = 8.0
    let contentWidth = (rowWidths.max() ?? 0) + 40
    let width = contentWidth + Double(longEdges.count) * laneGap
    let height = rowHeights.reduce(0, +) + gapY * Double(max(layers - 1, 0)) + 40
    var boxes = [Rect](repeating: Rect(x: 0, y: 0, width: 0, height: 0), count: nodes.count)
    var y = 20.0
    var rowBottom = [Double](repeating: 0, count: layers)
    for (l, row) in members.enumerated() {
      var x = (contentWidth - rowWidths[l]) / 2
      for i in row {
        boxes[i] = Rect(x: x, y: y + (rowHeights[l] - sizes[i].1) / 2, width: sizes[i].0, height: sizes[i].1)
        x += sizes[i].0 + gapX
      }
      rowBottom[l] = y + rowHeights[l]
      y += rowHeights[l] + gapY
    }
    var scene = Scene(width: width, height: height, title: title)
    let edgeColor = ChartColor(hex: 0x777777)
    var lane = 0
    for (a, b) in edges {
      if layer[b] - layer[a] > 1 {
        let laneX = contentWidth - 10 + Double(lane) * laneGap
        lane += 1
        // Leave below the source and arrive above the target, so horizontal runs stay in the
        // gaps between rows and never cross a box.
        let from = Point(boxes[a].x + boxes[a].width / 2, boxes[a].y + boxes[a].height)
        let to = Point(boxes[b].x + boxes[b].width / 2, boxes[b].y)
        let below = rowBottom[layer[a]] + gapY * 0.35
        let above = boxes[b].y - gapY * 0.35
        let path = [from, Point(from.x, below), Point(laneX, below), Point(laneX, above), Point(to.x, above), to]
        scene.add(.polyline(points: path, stroke: edgeColor, width: 1.2, dash: [], role: .mark))
        scene.add(
          .polyline(
            points: [Point(to.x - 4, to.y - 6), to, Point(to.x + 4, to.y - 6)], stroke: edgeColor, width: 1.2, dash: [],
            role: .mark))
        continue
      }
      let from = Point(boxes[a].x + boxes[a].width / 2, boxes[a].y + boxes[a].height)
      let to = Point(boxes[b].x + boxes[b].width / 2, boxes[b].y)
      scene.add(.polyline(points: [from, to], stroke: edgeColor, width: 1.2, dash: [], role: .mark))
      scene.add(
        .polyline(
          points: [Point(to.x - 4, to.y - 6), to, Point(to.x + 4, to.y - 6)], stroke: edgeColor, width: 1.2, dash: [],
          role: .mark))
    }
    for (i, node) in nodes.enumerated() {
      let terminal = node.isTerminal
      scene.add(
        .rect(
          boxes[i], fill: ChartColor(hex: terminal ? 0xFDF0E8 : 0xEEF6FB), stroke: Palette.color(terminal ? 1 : 0),
          opacity: 1, role: .mark))
      for (k, line) in node.lines.enumerated() {
        scene.add(
          .text(
            String(line.prefix(40)),
            at: Point(boxes[i].x + boxes[i].width / 2, boxes[i].y + 5 + lineHeight * Double(k + 1) - 3),
            size: fontSize, anchor: .middle, rotation: 0, color: .ink, bold: k == 0, role: .annotation))
      }
    }
    return scene
  }
}
