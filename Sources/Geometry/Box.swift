/// An object box: a class index and centre/size normalised to the image (YOLO convention).
///
/// This is the one box type of Workbench (architecture issue #12, item 5). Datasets store it
/// (HDF5, Float), the loader moves it through augmentations, the YOLO loss trains on it (it
/// replaced Training's `YOLOTarget`, which had the same fields), and evaluation converts it to
/// pixels with ``pixelCorners(width:height:)`` or ``cocoBox(width:height:)``.
///
/// Why normalised Float centre/size and not pixels in Double: the dataset files store exactly
/// these four Floats, and every consumer (augmentations, assignment, loss) computes on them in
/// Float; keeping the stored representation avoids a conversion whose rounding would change
/// training results. Pixel coordinates in Double (COCO's `[x, y, w, h]`) are derived on demand
/// through the explicit conversions below. Metrics' COCO evaluator keeps its own private
/// `[x, y, w, h]` record in Double (`COCOBox`), because pycocotools parity requires computing IoU
/// on the JSON doubles as read, without a round trip through this type.
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

extension Box {
  /// The box in pixels of an image of the given size, as corners `(x0, y0, x1, y1)` in Double.
  ///
  /// Each corner is the normalised edge (computed in Float, as ``x0`` etc.) times the image size.
  public func pixelCorners(width: Int, height: Int) -> (x0: Double, y0: Double, x1: Double, y1: Double) {
    (Double(x0) * Double(width), Double(y0) * Double(height), Double(x1) * Double(width), Double(y1) * Double(height))
  }

  /// The box in COCO's `[x, y, width, height]` convention (top-left corner and size, pixels of an
  /// image of the given size, Double).
  public func cocoBox(width: Int, height: Int) -> [Double] {
    let c = pixelCorners(width: width, height: height)
    return [c.x0, c.y0, Double(w) * Double(width), Double(h) * Double(height)]
  }
}
