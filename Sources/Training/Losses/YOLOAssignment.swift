import Geometry

/// Which prediction is responsible for each ground-truth object (YOLO9000 §2, "Direct location
/// prediction"; YOLOv3 §2.1): the anchor whose shape best matches the object's (IoU of the two
/// boxes placed at a common centre) in the grid cell that contains the object's centre.
///
/// With an `anchorThreshold`, an object is also assigned to every other anchor of the head whose
/// shape IoU with it exceeds the threshold (YOLOv4, Bochkovskiy et al. 2020, §3.4 "using
/// multiple anchors for a single ground truth if IoU(truth, anchor) > IoU threshold"; its
/// configurations use 0.213): more positives per object, the best anchor first.
///
/// Rows index the flattened predictions `((n·A + a)·H + gy)·W + gx`. When two objects of one
/// image claim the same (cell, anchor), the first one (in target order) keeps it and the later
/// one is dropped, deterministically.
public struct YOLOAssignment: Equatable, Sendable {
  /// One responsible prediction.
  public struct Match: Equatable, Sendable {
    /// Flattened prediction row.
    public var row: Int
    /// Image index in the batch.
    public var image: Int
    /// Anchor index.
    public var anchor: Int
    /// Grid column and row of the cell.
    public var gx: Int, gy: Int
    /// The object.
    public var target: Box
  }

  /// The matches, image by image, in target order.
  public var matches: [Match]

  /// Assigns the targets of each image to anchors of a `gridHeight × gridWidth` head: the best
  /// anchor, and with `anchorThreshold` every other anchor whose shape IoU exceeds it.
  public init(
    targets: [[Box]], anchors: [Anchor], gridWidth: Int, gridHeight: Int,
    inputWidth: Int, inputHeight: Int, anchorThreshold: Float? = nil
  ) {
    var matches: [Match] = []
    for (n, objects) in targets.enumerated() {
      var taken = Set<Int>()
      for t in objects where t.w > 0 && t.h > 0 {
        let gx = Swift.min(Swift.max(Int(t.cx * Float(gridWidth)), 0), gridWidth - 1)
        let gy = Swift.min(Swift.max(Int(t.cy * Float(gridHeight)), 0), gridHeight - 1)
        let (width, height) = (t.w * Float(inputWidth), t.h * Float(inputHeight))
        let best = Self.bestAnchor(width: width, height: height, anchors: anchors)
        var chosen = [best]
        if let threshold = anchorThreshold {
          chosen += anchors.indices.filter {
            $0 != best && Self.shapeIoU(width: width, height: height, anchors[$0]) > threshold
          }
        }
        for a in chosen {
          let row = ((n * anchors.count + a) * gridHeight + gy) * gridWidth + gx
          if taken.insert(row).inserted {
            matches.append(Match(row: row, image: n, anchor: a, gx: gx, gy: gy, target: t))
          }
        }
      }
    }
    self.matches = matches
  }

  /// The anchor with the highest shape IoU with a `width × height` box (first on ties).
  public static func bestAnchor(width: Float, height: Float, anchors: [Anchor]) -> Int {
    var best = 0, bestIoU: Float = -1
    for (i, a) in anchors.enumerated() {
      let iou = shapeIoU(width: width, height: height, a)
      if iou > bestIoU { best = i; bestIoU = iou }
    }
    return best
  }

  /// IoU of a `width × height` box and the anchor, both placed at a common centre.
  public static func shapeIoU(width: Float, height: Float, _ a: Anchor) -> Float {
    let inter = Swift.min(width, a.floatWidth) * Swift.min(height, a.floatHeight)
    return inter / (width * height + a.floatWidth * a.floatHeight - inter)
  }
}
