/// An object box: a class index and centre/size normalised to the image (YOLO convention).
public struct Box: Equatable, Hashable, Sendable, Codable {
  /// Index into the dataset's `class_names`.
  public var classIndex: Int
  /// Centre x and y, width and height, all as fractions of the image size (0...1).
  public var cx: Float, cy: Float, w: Float, h: Float

  /// Creates a box from normalised centre and size.
  public init(classIndex: Int, cx: Float, cy: Float, w: Float, h: Float) {
    self.classIndex = classIndex
    self.cx = cx
    self.cy = cy
    self.w = w
    self.h = h
  }

  /// Creates a box from pixel corners in an image of the given size.
  public init(classIndex: Int, x0: Float, y0: Float, x1: Float, y1: Float, width: Int, height: Int) {
    let fw = Float(width), fh = Float(height)
    self.init(
      classIndex: classIndex, cx: (x0 + x1) / 2 / fw, cy: (y0 + y1) / 2 / fh, w: (x1 - x0) / fw,
      h: (y1 - y0) / fh)
  }

  /// Left, top, right, bottom edges (normalised).
  public var x0: Float { cx - w / 2 }
  public var y0: Float { cy - h / 2 }
  public var x1: Float { cx + w / 2 }
  public var y1: Float { cy + h / 2 }

  /// Whether the box lies inside the image (with a small tolerance for rounding) and is not empty.
  public var isInsideImage: Bool {
    let eps: Float = 1e-3
    return w > 0 && h > 0 && x0 >= -eps && y0 >= -eps && x1 <= 1 + eps && y1 <= 1 + eps
  }

  /// The box clipped to the image; `nil` if nothing (or less than `minSize`) remains.
  public func clipped(minSize: Float = 1e-4) -> Box? {
    let nx0 = max(0, x0), ny0 = max(0, y0), nx1 = min(1, x1), ny1 = min(1, y1)
    guard nx1 - nx0 >= minSize, ny1 - ny0 >= minSize else { return nil }
    return Box(classIndex: classIndex, cx: (nx0 + nx1) / 2, cy: (ny0 + ny1) / 2, w: nx1 - nx0, h: ny1 - ny0)
  }
}

/// A verification pair: two image indices in a split, whether they show the same identity, and
/// the cross-validation fold (LFW protocol: 10 folds).
public struct VerificationPair: Equatable, Hashable, Sendable, Codable {
  public var first: Int
  public var second: Int
  public var isMatch: Bool
  public var fold: Int

  /// Creates a pair.
  public init(first: Int, second: Int, isMatch: Bool, fold: Int) {
    self.first = first
    self.second = second
    self.isMatch = isMatch
    self.fold = fold
  }
}
