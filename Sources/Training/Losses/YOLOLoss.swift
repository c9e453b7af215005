import Autograd
import Geometry

/// The YOLO detection loss for one head (Redmon & Farhadi, "YOLO9000", CVPR 2017, and
/// "YOLOv3", 2018), with the box, objectness and class terms configurable.
///
/// Predictions are `[N, A·(5 + C), H, W]` (the layout of `Metrics.YOLOHead`): per anchor
/// `tx, ty, tw, th, objectness, class logits…`. A box is decoded by the shared
/// ``Geometry/YOLODecoder`` as centre `((σ(tx) + gx) / W, (σ(ty) + gy) / H)` and size
/// `(anchorW · e^tw / inputW, anchorH · e^th / inputH)`: the ignore mask calls it per prediction,
/// the box term applies its formula to variables with the decoder's factors.
/// Each object is assigned by ``YOLOAssignment`` (best-IoU anchor at the object's cell, and
/// with `anchorThreshold` further anchors there); "assigned objects" below counts each
/// (object, anchor) match once.
///
/// - box: `giou`/`diou`/`ciou`/`iou` — ``BoxIoULoss`` between decoded and target boxes, mean
///   over assigned objects; or `mseOffsets` — squared error of `(σ(tx), σ(ty), tw, th)` against
///   the target offsets `(cx·W − gx, cy·H − gy, log(w·inputW / anchorW), log(h·inputH / anchorH))`,
///   summed over the four and averaged over assigned objects.
/// - objectness: BCE or sigmoid focal on every prediction (target 1 where assigned, else 0),
///   mean over all `N·A·H·W` predictions. With `ignoreThreshold`, unassigned predictions whose
///   decoded box overlaps some object of their image with IoU above it get weight 0 (YOLOv3 §2.1).
/// - class: softmax cross-entropy, or BCE / sigmoid focal on one-hot targets summed over
///   classes; mean over assigned objects.
///
/// Terms with no assigned object are 0. Each term is multiplied by its weight.
public struct YOLOLoss: Codable, Sendable {
  /// The box regression term.
  public enum BoxTerm: String, Codable, Sendable { case iou, giou, diou, ciou, mseOffsets }
  /// A binary (objectness or per-class) term.
  public enum BinaryTerm: Codable, Equatable, Sendable {
    /// Binary cross-entropy on logits.
    case bce
    /// Sigmoid focal loss (Lin et al. 2017).
    case focal(gamma: Float, alpha: Float?)
  }
  /// The class term.
  public enum ClassTerm: Codable, Equatable, Sendable {
    /// Softmax cross-entropy over the classes (YOLOv2).
    case crossEntropy
    /// Independent per-class binary terms on one-hot targets (YOLOv3).
    case binary(BinaryTerm)
  }

  /// Anchor sizes in pixels of the network input.
  public var anchors: [Anchor]
  /// Number of classes C.
  public var classCount: Int
  /// Network input size in pixels.
  public var inputWidth: Int, inputHeight: Int
  /// Which box term.
  public var box: BoxTerm = .giou
  /// Which objectness term.
  public var objectness: BinaryTerm = .bce
  /// Which class term.
  public var classification: ClassTerm = .crossEntropy
  /// Weights of the box, objectness and class terms.
  public var boxWeight: Float = 1, objectnessWeight: Float = 1, classWeight: Float = 1
  /// IoU above which an unassigned prediction is not penalised as background; nil disables.
  public var ignoreThreshold: Float? = nil
  /// Shape IoU above which an object is assigned to further anchors besides its best one
  /// (``YOLOAssignment``, YOLOv4's multi-anchor assignment); nil: the best anchor only.
  public var anchorThreshold: Float? = nil

  /// Creates the loss for a head with the given anchors, classes and input size.
  public init(anchors: [Anchor], classCount: Int, inputWidth: Int, inputHeight: Int) {
    self.anchors = anchors
    self.classCount = classCount
    self.inputWidth = inputWidth
    self.inputHeight = inputHeight
  }

  /// The weighted terms `box`, `objectness` and `class` for `prediction` and per-image targets.
  public func callAsFunction(_ prediction: Variable, targets: [[Box]]) -> LossTerms {
    let (n, a, k) = (prediction.shape[0], anchors.count, 5 + classCount)
    precondition(
      prediction.value.rank == 4 && prediction.shape[1] == a * k && targets.count == n,
      "YOLOLoss: prediction \(prediction.shape) must be [N, \(a)·(5 + \(classCount)), H, W] with N = \(targets.count) target lists"
    )
    let (h, w) = (prediction.shape[2], prediction.shape[3])
    let rows = n * a * h * w
    let flat = prediction.reshaped([n, a, k, h, w]).transposed([0, 1, 3, 4, 2]).reshaped([rows, k])
    let assignment = YOLOAssignment(
      targets: targets, anchors: anchors, gridWidth: w, gridHeight: h,
      inputWidth: inputWidth, inputHeight: inputHeight, anchorThreshold: anchorThreshold)
    let matches = assignment.matches

    var objTarget = Tensor<Float>(zeros: [rows, 1])
    for m in matches { objTarget.scalars[m.row] = 1 }
    let objWeights = ignoreThreshold.map {
      ignoreMask(flat.value, targets: targets, objTarget: objTarget, threshold: $0, grid: (w, h))
    }
    let objLogits = flat.slice([0..<rows, 4..<5])
    let objLoss = binary(objectness, objLogits, targets: objTarget, weights: objWeights).sum() / Float(rows)

    let zero = Variable(Tensor(scalar: 0))
    var boxLoss = zero, classLoss = zero
    if !matches.isEmpty {
      let m = matches.count
      let selected = flat.gatherRows(matches.map(\.row))
      boxLoss = boxTerm(selected, matches, grid: (Float(w), Float(h)))
      let logits = selected.slice([0..<m, 5..<k])
      let labels = matches.map(\.target.classIndex)
      switch classification {
      case .crossEntropy:
        classLoss = CrossEntropyLoss()(logits, labels: labels)
      case .binary(let term):
        classLoss = binary(term, logits, targets: oneHot(labels, classCount: classCount), weights: nil).sum() / Float(m)
      }
    }
    return LossTerms([
      ("box", boxLoss * boxWeight), ("objectness", objLoss * objectnessWeight), ("class", classLoss * classWeight),
    ])
  }

  func binary(_ term: BinaryTerm, _ logits: Variable, targets: Tensor<Float>, weights: Tensor<Float>?) -> Variable {
    switch term {
    case .bce: return BinaryCrossEntropyLoss(reduction: .none)(logits, targets: targets, weights: weights)
    case let .focal(gamma, alpha):
      return FocalLoss(gamma: gamma, alpha: alpha, reduction: .none).sigmoid(logits, targets: targets, weights: weights)
    }
  }

  func boxTerm(_ selected: Variable, _ matches: [YOLOAssignment.Match], grid: (w: Float, h: Float)) -> Variable {
    let m = matches.count
    let txy = selected.slice([0..<m, 0..<2]).sigmoid()
    let twh = selected.slice([0..<m, 2..<4])
    if box == .mseOffsets {
      let target = Tensor<Float>(
        shape: [m, 4],
        scalars: matches.flatMap { mt -> [Float] in
          let an = anchors[mt.anchor]
          return [
            mt.target.cx * grid.w - Float(mt.gx), mt.target.cy * grid.h - Float(mt.gy),
            LibM.log(mt.target.w * Float(inputWidth) / an.floatWidth),
            LibM.log(mt.target.h * Float(inputHeight) / an.floatHeight),
          ]
        })
      return (Variable.concat([txy, twh], axis: 1) - Variable(target)).squared().sum() / Float(m)
    }
    // The decoder's formula on variables: centre (σ(t) + cell) · (1 / grid), size e^t · (anchor / input).
    let decoder = self.decoder(gridWidth: Int(grid.w), gridHeight: Int(grid.h))
    let cells = Tensor<Float>(shape: [m, 2], scalars: matches.flatMap { [Float($0.gx), Float($0.gy)] })
    let anchorScale = Tensor<Float>(
      shape: [m, 2],
      scalars: matches.flatMap { match -> [Float] in
        let f = decoder.anchorFraction(match.anchor)
        return [f.x, f.y]
      })
    let inverseGrid = decoder.inverseGrid
    let centre = (txy + Variable(cells)) * Variable(Tensor(shape: [1, 2], scalars: [inverseGrid.x, inverseGrid.y]))
    let size = twh.exp() * Variable(anchorScale)
    let target = Tensor<Float>(
      shape: [m, 4], scalars: matches.flatMap { [$0.target.cx, $0.target.cy, $0.target.w, $0.target.h] })
    let kind: BoxIoULoss.Kind = box == .iou ? .iou : box == .diou ? .diou : box == .ciou ? .ciou : .giou
    return BoxIoULoss(kind)(Variable.concat([centre, size], axis: 1), target: target)
  }

  /// Objectness weights: 0 for unassigned predictions whose decoded box has IoU above
  /// `threshold` with some object of their image, else 1.
  func ignoreMask(
    _ flat: Tensor<Float>, targets: [[Box]], objTarget: Tensor<Float>,
    threshold: Float, grid: (w: Int, h: Int)
  ) -> Tensor<Float> {
    let k = 5 + classCount
    let decoder = self.decoder(gridWidth: grid.w, gridHeight: grid.h)
    var weights = Tensor<Float>(repeating: 1, shape: objTarget.shape)
    let perImage = anchors.count * grid.h * grid.w
    for row in 0..<objTarget.count where objTarget.scalars[row] == 0 {
      let image = row / perImage
      let a = (row / (grid.h * grid.w)) % anchors.count
      let gy = (row / grid.w) % grid.h, gx = row % grid.w
      let t = flat.scalars[(row * k)...]  // tx, ty, tw, th of this prediction (no copy)
      let box = decoder.normalisedBox(
        tx: t[row * k], ty: t[row * k + 1], tw: t[row * k + 2], th: t[row * k + 3], anchor: a, gx: gx, gy: gy)
      if targets[image].contains(where: { Self.iou(box, $0) > threshold }) { weights.scalars[row] = 0 }
    }
    return weights
  }

  /// The shared YOLO decoder for this head's anchors and input on a `gridHeight × gridWidth` grid,
  /// with the overflow-safe logistic (the operations of `Tensor.sigmoid`, which the box term's
  /// `Variable.sigmoid` applies).
  func decoder(gridWidth: Int, gridHeight: Int) -> YOLODecoder {
    YOLODecoder(
      anchors: anchors, gridWidth: gridWidth, gridHeight: gridHeight, inputWidth: inputWidth,
      inputHeight: inputHeight, logistic: .stable)
  }

  /// IoU of two centre-size boxes.
  static func iou(_ a: Box, _ b: Box) -> Float {
    let iw = Swift.min(a.cx + a.w / 2, b.cx + b.w / 2) - Swift.max(a.cx - a.w / 2, b.cx - b.w / 2)
    let ih = Swift.min(a.cy + a.h / 2, b.cy + b.h / 2) - Swift.max(a.cy - a.h / 2, b.cy - b.h / 2)
    let inter = Swift.max(iw, 0) * Swift.max(ih, 0)
    let union = a.w * a.h + b.w * b.h - inter
    return union > 0 ? inter / union : 0
  }
}
