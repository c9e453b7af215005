import Autograd

/// Softmax cross-entropy on logits, with optional label smoothing (Szegedy et al., "Rethinking
/// the Inception Architecture for Computer Vision", CVPR 2016, §7) and class weights.
///
/// For logits `x` of shape `[N, C]`, integer labels `y`, class weights `w` (all 1 when absent)
/// and smoothing `ε`, with `ℓ_ic = −log softmax(x_i)_c`, the per-sample loss is
///
///     L_i = (1 − ε) · w_{y_i} · ℓ_{i,y_i} + (ε / C) · Σ_c w_c · ℓ_ic
///
/// and the mean reduction divides `Σ_i L_i` by `Σ_i w_{y_i}`, exactly as PyTorch's
/// `cross_entropy(weight:, label_smoothing:, reduction="mean")` does (a weighted mean whose
/// denominator counts only the weights of the true classes, for both terms).
public struct CrossEntropyLoss: Sendable {
  /// The smoothing mass `ε` in [0, 1) spread uniformly over all classes.
  public var labelSmoothing: Float
  /// One weight per class, or nil for equal weights.
  public var classWeights: [Float]?
  /// How per-sample losses are combined.
  public var reduction: LossReduction

  /// Creates the loss; `labelSmoothing` must be in [0, 1).
  public init(labelSmoothing: Float = 0, classWeights: [Float]? = nil, reduction: LossReduction = .mean) {
    precondition(
      labelSmoothing >= 0 && labelSmoothing < 1, "CrossEntropyLoss: labelSmoothing \(labelSmoothing) must be in [0, 1)")
    self.labelSmoothing = labelSmoothing
    self.classWeights = classWeights
    self.reduction = reduction
  }

  /// The loss of `logits` `[N, C]` against `labels` (N integers in 0..<C).
  public func callAsFunction(_ logits: Variable, labels: [Int]) -> Variable {
    precondition(
      logits.value.rank == 2 && logits.shape[0] == labels.count,
      "CrossEntropyLoss: logits \(logits.shape) must be [N, C] with N = \(labels.count) labels")
    let c = logits.shape[1]
    let w = Tensor<Float>(shape: [1, c], scalars: classWeights ?? [Float](repeating: 1, count: c))
    precondition(w.count == c, "CrossEntropyLoss: \(classWeights?.count ?? 0) class weights for \(c) classes")
    let hot = oneHot(labels, classCount: c)
    // Per-element coefficient of −log p_ic: (1 − ε)·w_c·[c = y_i] + ε/C·w_c.
    let coefficient = (hot * (1 - labelSmoothing) + labelSmoothing / Float(c)) * w
    let perSample = -(logits.logSoftmax(axis: 1) * Variable(coefficient)).sum(axes: [1])
    switch reduction {
    case .none: return perSample
    case .sum: return perSample.sum()
    case .mean:
      let denominator = labels.reduce(Float(0)) { $0 + w.scalars[$1] }
      return perSample.sum() / denominator
    }
  }
}
