/// One ground-truth object for the YOLO loss: its class and its box as centre and size,
/// normalised to [0, 1] by the network input's width and height.
public struct YOLOTarget: Codable, Equatable, Sendable {
  /// The class index in 0..<classCount.
  public var classIndex: Int
  /// Box centre x / input width.
  public var cx: Float
  /// Box centre y / input height.
  public var cy: Float
  /// Box width / input width.
  public var w: Float
  /// Box height / input height.
  public var h: Float

  /// Creates a target.
  public init(classIndex: Int, cx: Float, cy: Float, w: Float, h: Float) {
    self.classIndex = classIndex
    self.cx = cx
    self.cy = cy
    self.w = w
    self.h = h
  }
}

/// An anchor box size in pixels of the network input.
public struct YOLOAnchor: Codable, Equatable, Sendable {
  /// Width in input pixels.
  public var width: Float
  /// Height in input pixels.
  public var height: Float

  /// Creates an anchor.
  public init(width: Float, height: Float) {
    self.width = width
    self.height = height
  }
}
