/// An axis-aligned box in COCO's `[x, y, width, height]` convention (top-left corner and size).
///
/// Metrics keeps coordinates in `Double` because COCO ground truth and results JSON are read as
/// IEEE doubles by pycocotools; computing in the same precision is what makes the `coco101`
/// definition reproduce COCOeval bit for bit at IoU thresholds.
public struct Box: Codable, Equatable, Hashable, Sendable {
  /// Left edge.
  public var x: Double
  /// Top edge.
  public var y: Double
  /// Width (≥ 0 for valid boxes).
  public var width: Double
  /// Height (≥ 0 for valid boxes).
  public var height: Double

  /// Creates a box from its top-left corner and size.
  public init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// Creates a box from corner coordinates `(x1, y1)`–`(x2, y2)`.
  public init(x1: Double, y1: Double, x2: Double, y2: Double) {
    self.init(x: x1, y: y1, width: x2 - x1, height: y2 - y1)
  }

  /// `width * height`, the area COCO assigns to a detection result.
  public var area: Double { width * height }

  /// Intersection over union of two boxes, as pycocotools' `bbIou` computes it.
  ///
  /// The intersection width is `min(x + w) − max(x)` (likewise for height); a non-positive
  /// intersection gives 0. When `crowd` is true (the ground truth `other` is an `iscrowd`
  /// region) the denominator is the area of `self` (the detection) instead of the union, so a
  /// detection fully inside a crowd region scores 1 (COCO, `maskApi.c`).
  ///
  /// The same formula is the VOC devkit's inclusive-pixel IoU when COCO widths count pixels
  /// (`w = xmax − xmin + 1`), because the devkit's `+1` terms then cancel.
  @inlinable
  public func iou(_ other: Box, crowd: Bool = false) -> Double {
    let w = min(width + x, other.width + other.x) - max(x, other.x)
    if w <= 0 { return 0 }
    let h = min(height + y, other.height + other.y) - max(y, other.y)
    if h <= 0 { return 0 }
    let intersection = w * h
    let detectionArea = width * height
    let union = crowd ? detectionArea : detectionArea + other.width * other.height - intersection
    return intersection / union
  }
}
