/// Settings shared by all importers: output image size and channels.
public struct ImportOptions: Codable, Sendable, Equatable {
  /// Target width and height; `nil` keeps the size of the images (which must then all agree).
  public var width: Int?
  public var height: Int?
  /// Fit into the target size without distortion, padding with gray (boxes are adjusted);
  /// otherwise stretch.
  public var letterbox: Bool = true
  /// 1 (gray) or 3 (RGB, the default).
  public var channels: Int = 3
  /// gzip level for stored images, `nil` for none.
  public var compression: Int?

  /// Defaults: keep the size, RGB, letterbox when resizing.
  public init(width: Int? = nil, height: Int? = nil, letterbox: Bool = true, channels: Int = 3) {
    self.width = width
    self.height = height
    self.letterbox = letterbox
    self.channels = channels
  }

  func validate() throws {
    guard channels == 1 || channels == 3 else {
      throw DatasetError.invalidArgument("import: channels must be 1 or 3, got \(channels).")
    }
    guard (width == nil) == (height == nil), (width ?? 1) > 0, (height ?? 1) > 0 else {
      throw DatasetError.invalidArgument("import: give both width and height (positive), or neither.")
    }
  }
}
