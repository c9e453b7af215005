extension Image {
  /// Paints every pixel with `color`.
  public mutating func fill(_ color: Color) {
    let samples = color.samples(channels: channels)
    for p in 0..<(width * height) {
      for c in 0..<channels { pixels[p * channels + c] = samples[c] }
    }
  }

  /// Sets one pixel, ignoring coordinates outside the image.
  @inlinable
  public mutating func setPixel(x: Int, y: Int, _ samples: [UInt8]) {
    guard x >= 0, y >= 0, x < width, y < height else { return }
    let base = index(x: x, y: y)
    for c in 0..<channels { pixels[base + c] = samples[c] }
  }

  /// Fills the rectangle with corners (`x0`, `y0`) inclusive and (`x1`, `y1`) exclusive,
  /// clipped to the image.
  public mutating func fillRectangle(x0: Int, y0: Int, x1: Int, y1: Int, color: Color) {
    let samples = color.samples(channels: channels)
    for y in max(0, y0)..<max(max(0, y0), min(height, y1)) {
      for x in max(0, x0)..<max(max(0, x0), min(width, x1)) { setPixel(x: x, y: y, samples) }
    }
  }

  /// Outlines the rectangle [`x0`, `x1`) × [`y0`, `y1`) with lines `thickness` pixels wide.
  public mutating func strokeRectangle(
    x0: Int, y0: Int, x1: Int, y1: Int, color: Color, thickness: Int = 1
  ) {
    fillRectangle(x0: x0, y0: y0, x1: x1, y1: y0 + thickness, color: color)
    fillRectangle(x0: x0, y0: y1 - thickness, x1: x1, y1: y1, color: color)
    fillRectangle(x0: x0, y0: y0, x1: x0 + thickness, y1: y1, color: color)
    fillRectangle(x0: x1 - thickness, y0: y0, x1: x1, y1: y1, color: color)
  }

  /// Fills the ellipse centred at (`cx`, `cy`) with radii `rx`, `ry` (pixel centres inside are
  /// painted); a circle when `rx == ry`.
  public mutating func fillEllipse(cx: Double, cy: Double, rx: Double, ry: Double, color: Color) {
    guard rx > 0, ry > 0 else { return }
    let samples = color.samples(channels: channels)
    let yRange = max(0, Int((cy - ry).rounded(.down)))...min(height - 1, Int((cy + ry).rounded(.up)))
    guard yRange.lowerBound <= yRange.upperBound else { return }
    for y in yRange {
      let dy = (Double(y) + 0.5 - cy) / ry
      let span = 1 - dy * dy
      guard span >= 0 else { continue }
      let half = rx * span.squareRoot()
      let from = max(0, Int((cx - half - 0.5).rounded(.up)))
      let to = min(width - 1, Int((cx + half - 0.5).rounded(.down)))
      guard from <= to else { continue }
      for x in from...to { setPixel(x: x, y: y, samples) }
    }
  }

  /// Fills the circle centred at (`cx`, `cy`) with radius `radius`.
  public mutating func fillCircle(cx: Double, cy: Double, radius: Double, color: Color) {
    fillEllipse(cx: cx, cy: cy, rx: radius, ry: radius, color: color)
  }

  /// Fills the triangle with the given vertices (pixel centres inside or on an edge).
  public mutating func fillTriangle(
    _ a: (x: Double, y: Double), _ b: (x: Double, y: Double), _ c: (x: Double, y: Double),
    color: Color
  ) {
    let samples = color.samples(channels: channels)
    func edge(_ p: (x: Double, y: Double), _ q: (x: Double, y: Double), _ x: Double, _ y: Double) -> Double {
      (q.x - p.x) * (y - p.y) - (q.y - p.y) * (x - p.x)
    }
    let area = edge(a, b, c.x, c.y)
    guard area != 0 else { return }
    let minX = max(0, Int(min(a.x, b.x, c.x).rounded(.down)))
    let maxX = min(width - 1, Int(max(a.x, b.x, c.x).rounded(.up)))
    let minY = max(0, Int(min(a.y, b.y, c.y).rounded(.down)))
    let maxY = min(height - 1, Int(max(a.y, b.y, c.y).rounded(.up)))
    guard minX <= maxX, minY <= maxY else { return }
    for y in minY...maxY {
      for x in minX...maxX {
        let px = Double(x) + 0.5, py = Double(y) + 0.5
        let w0 = edge(b, c, px, py) / area, w1 = edge(c, a, px, py) / area
        let w2 = edge(a, b, px, py) / area
        if w0 >= 0, w1 >= 0, w2 >= 0 { setPixel(x: x, y: y, samples) }
      }
    }
  }

  /// Draws a one-pixel line from (`x0`, `y0`) to (`x1`, `y1`) (Bresenham), clipped.
  public mutating func drawLine(x0: Int, y0: Int, x1: Int, y1: Int, color: Color) {
    let samples = color.samples(channels: channels)
    var x = x0, y = y0
    let dx = abs(x1 - x0), dy = -abs(y1 - y0)
    let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
    var error = dx + dy
    while true {
      setPixel(x: x, y: y, samples)
      if x == x1 && y == y1 { break }
      let twice = 2 * error
      if twice >= dy { error += dy; x += sx }
      if twice <= dx { error += dx; y += sy }
    }
  }
}
