/// A COCO `bbox` record, `[x, y, width, height]` (top-left corner and size), as the evaluator
/// matches it.
///
/// This is not a second box concept: Workbench's one box is ``Geometry/Box`` (class and
/// normalised centre/size, converted to COCO pixels by `Box.cocoBox(width:height:)`). This
/// private record exists because the COCO evaluator must compute IoU on the JSON doubles exactly
/// as read (pycocotools' `bbIou`); any round trip through another representation would round
/// and break the bit-for-bit parity of the `coco101` definition at IoU thresholds.
struct COCOBox: Equatable, Hashable, Sendable {
  /// Left edge.
  var x: Double
  /// Top edge.
  var y: Double
  /// Width (≥ 0 for valid boxes).
  var width: Double
  /// Height (≥ 0 for valid boxes).
  var height: Double

  /// Creates a box from its top-left corner and size.
  init(x: Double, y: Double, width: Double, height: Double) {
    self.x = x
    self.y = y
    self.width = width
    self.height = height
  }

  /// Creates a box from corner coordinates `(x1, y1)`–`(x2, y2)`.
  init(x1: Double, y1: Double, x2: Double, y2: Double) {
    self.init(x: x1, y: y1, width: x2 - x1, height: y2 - y1)
  }

  /// `width * height`, the area COCO assigns to a detection result.
  var area: Double { width * height }

  /// Intersection over union of two boxes, as pycocotools' `bbIou` computes it.
  ///
  /// The intersection width is `min(x + w) − max(x)` (likewise for height); a non-positive
  /// intersection gives 0. When `crowd` is true (the ground truth `other` is an `iscrowd`
  /// region) the denominator is the area of `self` (the detection) instead of the union, so a
  /// detection fully inside a crowd region scores 1 (COCO, `maskApi.c`).
  ///
  /// The same formula is the VOC devkit's inclusive-pixel IoU when COCO widths count pixels
  /// (`w = xmax − xmin + 1`), because the devkit's `+1` terms then cancel.
  func iou(_ other: COCOBox, crowd: Bool = false) -> Double {
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
