import Autograd

/// Bounding-box regression losses from the intersection over union of `(cx, cy, w, h)` boxes.
///
/// - `iou`:  `1 − IoU`.
/// - `giou`: `1 − IoU + |C \ (A ∪ B)| / |C|`, with C the smallest enclosing box
///   (Rezatofighi et al., "Generalized Intersection over Union", CVPR 2019).
/// - `diou`: `1 − IoU + ρ²(a, b) / c²`, ρ the distance between centres and c the diagonal of C
///   (Zheng et al., "Distance-IoU Loss", AAAI 2020).
/// - `ciou`: `diou + α·v` with `v = 4/π² (atan(w_b/h_b) − atan(w_a/h_a))²` and the trade-off
///   `α = v / (1 − IoU + v)` treated as a constant, as in the paper (same reference, §3.2).
///
/// `a` is the prediction and `b` the target. Widths and heights of predictions should be
/// positive (e.g. `anchor · exp(t)`); an `ε = 1e-9` keeps the divisions finite.
public struct BoxIoULoss: Sendable {
  /// The variant of the loss.
  public enum Kind: String, Codable, Sendable { case iou, giou, diou, ciou }

  /// Which IoU-based loss.
  public var kind: Kind
  /// How per-box losses are combined.
  public var reduction: LossReduction
  /// Replaces the CIoU trade-off α (tests use it to hold α fixed, as the loss's gradient does).
  var frozenAlpha: Tensor<Float>?

  /// Creates the loss.
  public init(_ kind: Kind = .giou, reduction: LossReduction = .mean) {
    self.kind = kind
    self.reduction = reduction
  }

  /// The loss between predicted boxes `[N, 4]` and constant target boxes `[N, 4]`.
  public func callAsFunction(_ predicted: Variable, target: Tensor<Float>) -> Variable {
    reduction.apply(perBox(predicted, target: Variable(target)))
  }

  /// One loss per box pair, `[N]`; both arguments may carry gradients.
  public func perBox(_ a: Variable, target b: Variable) -> Variable {
    precondition(
      a.value.rank == 2 && a.shape[1] == 4 && a.shape == b.shape,
      "BoxIoULoss: boxes must both be [N, 4] (cx, cy, w, h), got \(a.shape) and \(b.shape)")
    let eps: Float = 1e-9
    let pa = a.split(sizes: [1, 1, 1, 1], axis: 1), pb = b.split(sizes: [1, 1, 1, 1], axis: 1)
    let (ax1, ax2) = (pa[0] - pa[2] * 0.5, pa[0] + pa[2] * 0.5)
    let (ay1, ay2) = (pa[1] - pa[3] * 0.5, pa[1] + pa[3] * 0.5)
    let (bx1, bx2) = (pb[0] - pb[2] * 0.5, pb[0] + pb[2] * 0.5)
    let (by1, by2) = (pb[1] - pb[3] * 0.5, pb[1] + pb[3] * 0.5)
    let iw = (Variable.elementwiseMin(ax2, bx2) - Variable.elementwiseMax(ax1, bx1)).relu()
    let ih = (Variable.elementwiseMin(ay2, by2) - Variable.elementwiseMax(ay1, by1)).relu()
    let inter = iw * ih
    let union = pa[2] * pa[3] + pb[2] * pb[3] - inter + eps
    let iou = inter / union
    var loss = 1 - iou
    let cw = Variable.elementwiseMax(ax2, bx2) - Variable.elementwiseMin(ax1, bx1)
    let ch = Variable.elementwiseMax(ay2, by2) - Variable.elementwiseMin(ay1, by1)
    switch kind {
    case .iou:
      break
    case .giou:
      let enclosing = cw * ch + eps
      loss = loss + (enclosing - union) / enclosing
    case .diou, .ciou:
      let diagonal = cw.squared() + ch.squared() + eps
      let rho = (pa[0] - pb[0]).squared() + (pa[1] - pb[1]).squared()
      loss = loss + rho / diagonal
      if kind == .ciou {
        let v = aspectTerm(a, target: b)
        let alpha = frozenAlpha ?? Tensor.zip(v.value, iou.value) { v, iou in v / (1 - iou + v + eps) }
        loss = loss + v * Variable(alpha)
      }
    }
    return loss.reshaped([a.shape[0]])
  }

  /// CIoU's aspect-ratio consistency `v = 4/π² (atan(w_b/h_b) − atan(w_a/h_a))²`, `[N, 1]`.
  func aspectTerm(_ a: Variable, target b: Variable) -> Variable {
    let eps: Float = 1e-9
    let pa = a.split(sizes: [1, 1, 1, 1], axis: 1), pb = b.split(sizes: [1, 1, 1, 1], axis: 1)
    let dv = (pb[2] / (pb[3] + eps)).arctangent() - (pa[2] / (pa[3] + eps)).arctangent()
    return dv.squared() * Float(4 / (Double.pi * Double.pi))
  }
}

extension Variable {
  /// `s − x` for a scalar `s`.
  static func - (s: Float, x: Variable) -> Variable { -x + s }
}
