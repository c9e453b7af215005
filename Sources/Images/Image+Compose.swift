extension Image {
  /// Copies `tile` (same channel count) into this image with its top-left corner at (`x`, `y`);
  /// the tile must fit. Grids of samples and letterbox canvases are built with it.
  public mutating func paste(_ tile: Image, x: Int, y: Int) {
    precondition(
      tile.channels == channels && x >= 0 && y >= 0 && x + tile.width <= width && y + tile.height <= height,
      "Image.paste: a \(tile.width)×\(tile.height)×\(tile.channels) tile does not fit at (\(x), \(y)) in \(width)×\(height)×\(channels)"
    )
    let row = tile.width * channels
    for ty in 0..<tile.height {
      let dst = index(x: x, y: y + ty), src = ty * row
      pixels.replaceSubrange(dst..<(dst + row), with: tile.pixels[src..<(src + row)])
    }
  }

  /// `count` square tiles of `cell` pixels on a dark RGB canvas, `columns` per row with `pad`
  /// pixels between and around them; `tile(k)` draws the `k`-th. The sample grids of the
  /// reports are built with it.
  public static func grid(
    count: Int, cell: Int, columns: Int = 4, pad: Int = 4, tile: (Int) throws -> Image
  ) rethrows -> Image {
    let rows = (count + columns - 1) / columns
    var canvas = Image(
      width: columns * (cell + pad) + pad, height: max(1, rows) * (cell + pad) + pad, channels: 3, fill: 40)
    for k in 0..<count {
      canvas.paste(try tile(k), x: pad + (k % columns) * (cell + pad), y: pad + (k / columns) * (cell + pad))
    }
    return canvas
  }

  /// A detection-style box: the outline in `color` and, above its top-left corner, `label` in
  /// black on a tag of the same colour.
  public mutating func drawLabelledBox(x0: Int, y0: Int, x1: Int, y1: Int, label: String, color: Color) {
    strokeRectangle(x0: x0, y0: y0, x1: x1, y1: y1, color: color)
    let top = max(0, y0 - 9)
    fillRectangle(x0: x0, y0: top, x1: x0 + BitmapFont.width(of: label) + 2, y1: top + 9, color: color)
    drawText(label, x: x0 + 1, y: top + 1, color: .black)
  }
}
