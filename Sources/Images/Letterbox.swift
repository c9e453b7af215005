/// How an image was placed inside a letterboxed canvas: uniformly scaled, then padded.
///
/// Used to carry normalised box coordinates from the source image to the canvas.
public struct Letterbox: Equatable, Sendable {
  /// Source size.
  public let sourceWidth: Int, sourceHeight: Int
  /// Canvas size.
  public let width: Int, height: Int
  /// The uniform scale from source to canvas pixels.
  public let scale: Double
  /// The size of the scaled image inside the canvas.
  public let scaledWidth: Int, scaledHeight: Int
  /// The left and top padding, in canvas pixels.
  public let padX: Int, padY: Int

  /// The placement of a `sourceWidth` × `sourceHeight` image centred in a `width` × `height`
  /// canvas, as large as fits without changing its aspect ratio.
  public init(sourceWidth: Int, sourceHeight: Int, width: Int, height: Int) {
    self.sourceWidth = sourceWidth
    self.sourceHeight = sourceHeight
    self.width = width
    self.height = height
    scale = min(Double(width) / Double(sourceWidth), Double(height) / Double(sourceHeight))
    scaledWidth = max(1, min(width, Int((Double(sourceWidth) * scale).rounded())))
    scaledHeight = max(1, min(height, Int((Double(sourceHeight) * scale).rounded())))
    padX = (width - scaledWidth) / 2
    padY = (height - scaledHeight) / 2
  }

  /// Maps a box (cx, cy, w, h normalised to the source) to the canvas, normalised to the canvas.
  public func map(cx: Double, cy: Double, w: Double, h: Double) -> (cx: Double, cy: Double, w: Double, h: Double) {
    let sx = Double(scaledWidth) / Double(width), sy = Double(scaledHeight) / Double(height)
    return (
      (cx * Double(scaledWidth) + Double(padX)) / Double(width),
      (cy * Double(scaledHeight) + Double(padY)) / Double(height), w * sx, h * sy
    )
  }
}

extension Image {
  /// The image scaled to fit `width` × `height` without distortion and centred on a canvas
  /// filled with `fill` (114 gray is the YOLO convention), plus the placement for mapping boxes.
  public func letterboxed(width: Int, height: Int, fill: UInt8 = 114) -> (Image, Letterbox) {
    let box = Letterbox(sourceWidth: self.width, sourceHeight: self.height, width: width, height: height)
    let scaled = resized(width: box.scaledWidth, height: box.scaledHeight)
    var canvas = Image(width: width, height: height, channels: channels, fill: fill)
    canvas.paste(scaled, x: box.padX, y: box.padY)
    return (canvas, box)
  }
}
