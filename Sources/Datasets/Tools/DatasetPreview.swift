import Geometry
import Images

/// Renders a grid of dataset samples with their annotations drawn, so a user can look at data.
///
/// Detection boxes are outlined in a per-class colour with the class name; classification and
/// identity images get their label or identity name underneath.
public enum DatasetPreview {
  /// A grid of the first `count` images of `split` (default: the first split), each scaled to at
  /// most `cell` pixels, `columns` per row.
  public static func render(file path: String, split: String? = nil, count: Int = 16, columns: Int = 4, cell: Int = 128)
    throws -> Image
  {
    let file = try DatasetFile(path: path)
    let data = try file.split(split ?? file.splitNames[0])
    let shown = min(count, data.count)
    guard shown > 0 else {
      throw DatasetError.invalidArgument("Split '\(data.name)' of '\(path)' has no images to preview.")
    }
    let boxes = file.kind == .detection ? try data.boxes() : []
    let labels: [String]
    switch file.kind {
    case .classification:
      labels = try data.labels().prefix(shown).map { $0 < file.classNames.count ? file.classNames[$0] : "\($0)" }
    case .identity:
      let names = try data.identityNames()
      labels = try data.identities().prefix(shown).map { $0 < names.count ? names[$0] : "\($0)" }
    case .detection:
      labels = []
    }
    let scale = max(1, cell / max(data.width, data.height))
    let tileW = data.width * scale, tileH = data.height * scale
    let captionH = labels.isEmpty ? 0 : 10
    let cols = max(1, min(columns, shown)), rows = (shown + cols - 1) / cols
    let pad = 4
    var canvas = Image(
      width: cols * (tileW + pad) + pad, height: rows * (tileH + captionH + pad) + pad, channels: 3, fill: 40)
    for index in 0..<shown {
      var tile = try data.image(at: index).converted(toChannels: 3)
      tile = tile.resized(width: tileW, height: tileH)
      if !boxes.isEmpty { draw(boxes[index], on: &tile, classNames: file.classNames) }
      let left = pad + (index % cols) * (tileW + pad), top = pad + (index / cols) * (tileH + captionH + pad)
      canvas.paste(tile, x: left, y: top)
      if !labels.isEmpty {
        canvas.drawText(
          String(labels[index].prefix(tileW / BitmapFont.advance)), x: left, y: top + tileH + 2, color: .white)
      }
    }
    return canvas
  }

  /// Writes ``render(file:split:count:columns:cell:)`` as a PNG, atomically.
  public static func write(file path: String, to output: String, split: String? = nil, count: Int = 16) throws {
    try render(file: path, split: split, count: count).writePNG(to: output)
  }

  private static func draw(_ boxes: [Box], on tile: inout Image, classNames: [String]) {
    let w = Float(tile.width), h = Float(tile.height)
    for box in boxes {
      let color = Color.palette[box.classIndex % Color.palette.count]
      let name = box.classIndex < classNames.count ? classNames[box.classIndex] : "\(box.classIndex)"
      tile.drawLabelledBox(
        x0: Int((box.x0 * w).rounded()), y0: Int((box.y0 * h).rounded()),
        x1: Int((box.x1 * w).rounded()), y1: Int((box.y1 * h).rounded()), label: name, color: color)
    }
  }
}
