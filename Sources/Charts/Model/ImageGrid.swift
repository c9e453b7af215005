import Foundation

/// PNG images laid out in a grid, each with a caption below it.
public struct ImageGrid: Sendable {
  /// The images, row by row.
  public var images: [GridImage]
  /// Images per row.
  public var columns: Int

  /// Creates a grid.
  public init(images: [GridImage], columns: Int) {
    self.images = images
    self.columns = max(columns, 1)
  }
}

/// One image of an ``ImageGrid``.
public struct GridImage: Sendable {
  /// Encoded PNG bytes.
  public var png: Data
  /// Text below the image (e.g. class names).
  public var caption: String

  /// Creates a grid image.
  public init(png: Data, caption: String) {
    self.png = png
    self.caption = caption
  }
}
