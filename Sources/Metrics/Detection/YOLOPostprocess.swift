/// One head's output buffer with its grid size, as handed to ``YOLOPostprocess``.
public struct YOLOHeadOutput: Sendable {
  /// How to decode the head.
  public var head: YOLOHead
  /// The NCHW buffer `[N, A·(5 + C), H, W]`.
  public var values: [Float]
  /// H.
  public var gridHeight: Int
  /// W.
  public var gridWidth: Int

  /// Pairs a head description with its output.
  public init(head: YOLOHead, values: [Float], gridHeight: Int, gridWidth: Int) {
    self.head = head
    self.values = values
    self.gridHeight = gridHeight
    self.gridWidth = gridWidth
  }
}

/// The full YOLO post-processing: decode every head, merge, class-aware NMS, keep the best.
///
/// Multi-scale models (tiny YOLOv3 has two heads) are decoded head by head with their own
/// anchors and strides; candidates of all heads then compete in one NMS per image.
public enum YOLOPostprocess {
  /// Detections per image.
  ///
  /// - Parameters:
  ///   - outputs: Every head's output (all with the same batch size).
  ///   - batch: N.
  ///   - confidenceThreshold: Minimum score of a candidate (Ultralytics' `conf`, e.g. 0.001
  ///     for mAP evaluation, 0.25 for deployment).
  ///   - iouThreshold: NMS overlap threshold (e.g. 0.45).
  ///   - maxDetections: Per-image limit after NMS (e.g. 100 for COCO evaluation).
  ///   - multiLabel: Whether a box may carry several classes.
  /// - Throws: ``YOLODecodingError`` when a buffer does not match its shape.
  public static func detect(
    _ outputs: [YOLOHeadOutput], batch: Int, confidenceThreshold: Float, iouThreshold: Float,
    maxDetections: Int? = 100, multiLabel: Bool = false
  ) throws -> [[DecodedDetection]] {
    var candidates = [[DecodedDetection]](repeating: [], count: batch)
    for output in outputs {
      let decoded = try output.head.decode(
        output.values, batch: batch, gridHeight: output.gridHeight, gridWidth: output.gridWidth,
        confidenceThreshold: confidenceThreshold, multiLabel: multiLabel)
      for n in 0..<batch { candidates[n] += decoded[n] }
    }
    return candidates.map {
      NonMaximumSuppression.apply($0, iouThreshold: iouThreshold, maxDetections: maxDetections)
    }
  }
}
