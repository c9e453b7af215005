/// An 8-bit image stored row-major as height × width × channels (HWC), channels interleaved.
///
/// Channel counts are 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA). This is the one pixel
/// container shared by decoders, generators, importers and previews; the data loader converts
/// it to Float32 NCHW tensors.
public struct Image: Equatable, Sendable {
  /// Columns.
  public let width: Int
  /// Rows.
  public let height: Int
  /// Interleaved channels per pixel (1...4).
  public let channels: Int
  /// `height * width * channels` bytes, row-major, channels innermost.
  public var pixels: [UInt8]

  /// Creates an image from its pixels.
  /// - Precondition: `pixels.count == width * height * channels`.
  public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
    precondition(width >= 0 && height >= 0 && (1...4).contains(channels), "Image: bad geometry")
    precondition(pixels.count == width * height * channels, "Image: pixel count mismatch")
    self.width = width
    self.height = height
    self.channels = channels
    self.pixels = pixels
  }

  /// Creates an image filled with one value in every channel.
  public init(width: Int, height: Int, channels: Int, fill: UInt8 = 0) {
    self.init(
      width: width, height: height, channels: channels,
      pixels: [UInt8](repeating: fill, count: width * height * channels))
  }

  /// Creates an image filled with one colour (gray images take the colour's luma).
  public init(width: Int, height: Int, channels: Int, color: Color) {
    self.init(width: width, height: height, channels: channels)
    fill(color)
  }

  /// The flat index of channel `c` of the pixel at column `x`, row `y`.
  @inlinable
  public func index(x: Int, y: Int, channel c: Int = 0) -> Int {
    (y * width + x) * channels + c
  }

  /// The sample at column `x`, row `y`, channel `c`.
  @inlinable
  public subscript(x x: Int, y y: Int, c c: Int) -> UInt8 {
    get { pixels[index(x: x, y: y, channel: c)] }
    set { pixels[index(x: x, y: y, channel: c)] = newValue }
  }

  /// Whether the image has no pixels.
  public var isEmpty: Bool { width == 0 || height == 0 }
}
