import Autograd

/// Focal loss (Lin et al., "Focal Loss for Dense Object Detection", ICCV 2017, eq. 5):
/// `FL(p_t) = −α_t (1 − p_t)^γ log p_t`, which down-weights well-classified examples so that
/// the many easy negatives of a dense detector do not swamp the loss.
///
/// - Sigmoid form (the paper's): for logits `x` and binary targets `z` (elementwise),
///   `p = σ(x)`, `p_t = p·z + (1 − p)(1 − z)`, `α_t = α·z + (1 − α)(1 − z)`; the
///   `−log p_t` factor is the stable binary cross-entropy on logits. `α = nil` means no α term.
/// - Softmax form: for logits `[N, C]` and integer labels, `p_t = softmax(x)_{y}` and
///   `α_t = α` (a scalar) or `α_{y}` (per-class weights).
///
/// `γ = 0` and no α reduce both forms to the plain cross-entropy. The mean reduction averages
/// over elements (sigmoid form) or samples (softmax form).
public struct FocalLoss: Sendable {
  /// The focusing parameter γ ≥ 0 (2 in the paper).
  public var gamma: Float
  /// The balance α in [0, 1] for positives (0.25 in the paper), or nil for none.
  public var alpha: Float?
  /// How elementwise or per-sample losses are combined.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(gamma: Float = 2, alpha: Float? = 0.25, reduction: LossReduction = .mean) {
    precondition(gamma >= 0, "FocalLoss: gamma \(gamma) must be ≥ 0")
    self.gamma = gamma
    self.alpha = alpha
    self.reduction = reduction
  }

  /// The sigmoid form on logits and targets of the same shape; `weights` scale elements.
  public func sigmoid(_ logits: Variable, targets: Tensor<Float>, weights: Tensor<Float>? = nil) -> Variable {
    let ce = logits.binaryCrossEntropy(withLogitsTargets: targets)
    let p = logits.sigmoid()
    let z = Variable(targets)
    var l = ce
    if gamma != 0 {
      let oneMinusPt = p * (1 - z * 2) + z  // 1 − p_t = p(1 − z) + (1 − p)z
      l = l * modulating(oneMinusPt)
    }
    if let alpha { l = l * Variable(targets.map { alpha * $0 + (1 - alpha) * (1 - $0) }) }
    if let weights { l = l * Variable(weights) }
    return reduction.apply(l)
  }

  /// The softmax form on logits `[N, C]` and labels; `classAlpha` (one per class) overrides α.
  public func softmax(_ logits: Variable, labels: [Int], classAlpha: [Float]? = nil) -> Variable {
    precondition(
      logits.value.rank == 2 && logits.shape[0] == labels.count,
      "FocalLoss.softmax: logits \(logits.shape) must be [N, C] with N = \(labels.count)")
    let c = logits.shape[1]
    let hot = Variable(oneHot(labels, classCount: c))
    let logPt = (logits.logSoftmax(axis: 1) * hot).sum(axes: [1])
    var l = -logPt
    if gamma != 0 { l = l * modulating(1 - logPt.exp()) }
    if let classAlpha {
      precondition(classAlpha.count == c, "FocalLoss.softmax: \(classAlpha.count) class alphas for \(c) classes")
      l = l * Variable(Tensor(shape: [labels.count], scalars: labels.map { classAlpha[$0] }))
    } else if let alpha {
      l = l * alpha
    }
    return reduction.apply(l)
  }

  /// `(1 − p_t)^γ`, clamped away from 0 so that γ < 1 keeps a finite gradient.
  func modulating(_ oneMinusPt: Variable) -> Variable {
    gamma == 1 ? oneMinusPt : oneMinusPt.clamped(1e-12, 1).pow(gamma)
  }
}

extension Variable {
  /// `s + x` for a scalar `s`.
  static func + (s: Float, x: Variable) -> Variable { x + s }
}
