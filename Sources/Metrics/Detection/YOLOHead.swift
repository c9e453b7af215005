import Foundation
import Geometry

/// Decodes one YOLO (v2/v3-style) output head into detections, with the shared
/// ``Geometry/YOLODecoder`` (its direct logistic and pixel form) doing the box arithmetic.
///
/// The head is a plain `[Float]` laid out NCHW as `[N, A·(5 + C), H, W]`: for anchor `a`, the
/// channels `a·(5 + C) + 0…4` are `tx, ty, tw, th, objectness` and `a·(5 + C) + 5…` the C class
/// logits. For the cell in column `cx`, row `cy` (Redmon & Farhadi, "YOLO9000", §2 and
/// "YOLOv3", §2.1):
///
///     centre x = (σ(tx) + cx) · strideX       width  = anchorW · exp(tw) [· strideX if grid units]
///     centre y = (σ(ty) + cy) · strideY       height = anchorH · exp(th) [· strideY if grid units]
///     score(class c) = σ(objectness) · p(c)
///
/// with `stride = input size / grid size` and `p` a sigmoid (v3) or softmax (v2) over classes.
/// Boxes come out in pixels of the network input.
public struct YOLOHead: Sendable {
  /// How anchor sizes are expressed.
  public enum AnchorUnit: String, Codable, Sendable {
    /// Pixels of the network input (Darknet v3 cfg `anchors`, Ultralytics).
    case pixels
    /// Grid cells of this head (Darknet v2 cfg `anchors`).
    case gridCells
  }

  /// How class probabilities are obtained from the logits.
  public enum ClassActivation: String, Codable, Sendable {
    /// Independent sigmoids (YOLOv3).
    case sigmoid
    /// A softmax over the classes (YOLOv2).
    case softmax
  }

  /// Anchor sizes, one per anchor of this head, in ``anchorUnit``.
  public var anchors: [Anchor]
  /// Unit of `anchors`.
  public var anchorUnit: AnchorUnit
  /// Number of classes C.
  public var classCount: Int
  /// Network input width in pixels.
  public var inputWidth: Int
  /// Network input height in pixels.
  public var inputHeight: Int
  /// Class activation.
  public var classActivation: ClassActivation

  /// Creates a head description.
  public init(
    anchors: [Anchor], anchorUnit: AnchorUnit, classCount: Int,
    inputWidth: Int, inputHeight: Int, classActivation: ClassActivation = .sigmoid
  ) {
    self.anchors = anchors
    self.anchorUnit = anchorUnit
    self.classCount = classCount
    self.inputWidth = inputWidth
    self.inputHeight = inputHeight
    self.classActivation = classActivation
  }

  /// Decodes a batch, keeping candidates whose score is ≥ `confidenceThreshold`.
  ///
  /// - Parameters:
  ///   - output: `batch × A·(5 + C) × gridHeight × gridWidth` values, NCHW.
  ///   - batch: N.
  ///   - gridHeight: H.
  ///   - gridWidth: W.
  ///   - confidenceThreshold: Minimum score kept.
  ///   - multiLabel: Keep every class above the threshold (otherwise only the best class).
  /// - Returns: Candidates per image (apply ``NonMaximumSuppression`` next).
  /// - Throws: ``YOLODecodingError`` when the buffer size does not match the shape.
  public func decode(
    _ output: [Float], batch: Int, gridHeight: Int, gridWidth: Int,
    confidenceThreshold: Float, multiLabel: Bool = false
  ) throws -> [[DecodedDetection]] {
    let perAnchor = 5 + classCount
    let channels = anchors.count * perAnchor
    let plane = gridHeight * gridWidth
    guard batch >= 0, gridHeight > 0, gridWidth > 0, classCount > 0, !anchors.isEmpty else {
      throw YOLODecodingError.invalidShape(
        "batch \(batch), grid \(gridHeight)×\(gridWidth), \(classCount) classes and \(anchors.count) anchors"
      )
    }
    guard output.count == batch * channels * plane else {
      throw YOLODecodingError.sizeMismatch(
        expected: batch * channels * plane, actual: output.count,
        shape: [batch, channels, gridHeight, gridWidth])
    }
    let decoder = YOLODecoder(
      anchors: anchors, gridWidth: gridWidth, gridHeight: gridHeight,
      inputWidth: inputWidth, inputHeight: inputHeight, logistic: .direct)
    let anchorScale: (x: Float, y: Float) = anchorUnit == .pixels ? (1, 1) : decoder.stride
    var result: [[DecodedDetection]] = []
    var probabilities = [Float](repeating: 0, count: classCount)
    for n in 0..<batch {
      var found: [DecodedDetection] = []
      for a in anchors.indices {
        let base = (n * channels + a * perAnchor) * plane
        for cy in 0..<gridHeight {
          for cx in 0..<gridWidth {
            let cell = base + cy * gridWidth + cx
            func value(_ j: Int) -> Float { output[cell + j * plane] }
            let objectness = decoder.sigmoid(value(4))
            if objectness < confidenceThreshold { continue }  // scores ≤ objectness
            classProbabilities(value, decoder: decoder, into: &probabilities)
            let (x, y, w, h) = decoder.pixelBox(
              tx: value(0), ty: value(1), tw: value(2), th: value(3), anchor: a,
              gx: cx, gy: cy, anchorScale: anchorScale)
            func make(_ c: Int, _ score: Float) -> DecodedDetection {
              DecodedDetection(
                x1: x - w / 2, y1: y - h / 2, x2: x + w / 2, y2: y + h / 2, score: score,
                classIndex: c)
            }
            if multiLabel {
              for c in 0..<classCount where objectness * probabilities[c] >= confidenceThreshold {
                found.append(make(c, objectness * probabilities[c]))
              }
            } else {
              var best = 0
              for c in 1..<max(classCount, 1) where probabilities[c] > probabilities[best] {
                best = c
              }
              let score = objectness * probabilities[best]
              if score >= confidenceThreshold { found.append(make(best, score)) }
            }
          }
        }
      }
      result.append(found)
    }
    return result
  }

  private func classProbabilities(_ value: (Int) -> Float, decoder: YOLODecoder, into p: inout [Float]) {
    switch classActivation {
    case .sigmoid:
      for c in 0..<classCount { p[c] = decoder.sigmoid(value(5 + c)) }
    case .softmax:
      var m = -Float.infinity
      for c in 0..<classCount { m = max(m, value(5 + c)) }
      var sum: Float = 0
      for c in 0..<classCount {
        p[c] = exp(value(5 + c) - m)
        sum += p[c]
      }
      for c in 0..<classCount { p[c] /= sum }
    }
  }
}
