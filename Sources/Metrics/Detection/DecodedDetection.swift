/// A detection in corner form, as decoded from a network head (pixels of the network input).
public struct DecodedDetection: Equatable, Sendable {
  /// Left edge.
  public var x1: Float
  /// Top edge.
  public var y1: Float
  /// Right edge.
  public var x2: Float
  /// Bottom edge.
  public var y2: Float
  /// Confidence (objectness × class probability for YOLO).
  public var score: Float
  /// Class index in `0..<classCount`.
  public var classIndex: Int

  /// Creates a detection.
  public init(x1: Float, y1: Float, x2: Float, y2: Float, score: Float, classIndex: Int) {
    self.x1 = x1
    self.y1 = y1
    self.x2 = x2
    self.y2 = y2
    self.score = score
    self.classIndex = classIndex
  }

  /// Continuous intersection over union with another detection (0 for empty boxes).
  public func iou(_ other: DecodedDetection) -> Float {
    let w = min(x2, other.x2) - max(x1, other.x1)
    let h = min(y2, other.y2) - max(y1, other.y1)
    guard w > 0, h > 0 else { return 0 }
    let inter = w * h
    let union = (x2 - x1) * (y2 - y1) + (other.x2 - other.x1) * (other.y2 - other.y1) - inter
    return union > 0 ? inter / union : 0
  }

  /// The detection as a COCO results entry.
  ///
  /// - Parameters:
  ///   - imageId: The COCO image id.
  ///   - categoryIds: COCO category id of each class index.
  ///   - scale: Factors from network-input pixels to original-image pixels.
  public func cocoResult(imageId: Int, categoryIds: [Int], scale: (x: Double, y: Double) = (1, 1))
    -> COCOResult
  {
    COCOResult(
      imageId: imageId, categoryId: categoryIds[classIndex],
      bbox: [
        Double(x1) * scale.x, Double(y1) * scale.y, Double(x2 - x1) * scale.x,
        Double(y2 - y1) * scale.y,
      ],
      score: Double(score))
  }
}
