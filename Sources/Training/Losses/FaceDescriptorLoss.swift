import Autograd

/// The face-descriptor training objective: identity classification with softmax cross-entropy
/// on a classification head, plus the lifted structured loss (Oh Song et al., CVPR 2016) on the
/// embeddings, `L = w_ce · CE(logits, ids) + w_lifted · J_lifted(embeddings, ids)`.
///
/// Joint classification and metric losses follow Wen et al. ("A Discriminative Feature
/// Learning Approach for Deep Face Recognition", ECCV 2016): the softmax term separates the
/// training identities, the metric term shapes distances between embeddings, which is what
/// verification uses. With `normalizeEmbeddings` the metric term sees `f / ‖f‖`.
public struct FaceDescriptorLoss: Codable, Sendable {
  /// Weight of the cross-entropy term.
  public var crossEntropyWeight: Float
  /// Weight of the lifted structured term.
  public var liftedWeight: Float
  /// The lifted structured loss margin α.
  public var margin: Float
  /// Label smoothing of the cross-entropy term.
  public var labelSmoothing: Float
  /// Whether embeddings are L2-normalised before the metric term.
  public var normalizeEmbeddings: Bool

  /// Creates the combined loss.
  public init(
    crossEntropyWeight: Float = 1, liftedWeight: Float = 1, margin: Float = 1,
    labelSmoothing: Float = 0, normalizeEmbeddings: Bool = true
  ) {
    self.crossEntropyWeight = crossEntropyWeight
    self.liftedWeight = liftedWeight
    self.margin = margin
    self.labelSmoothing = labelSmoothing
    self.normalizeEmbeddings = normalizeEmbeddings
  }

  /// The weighted terms `crossEntropy` and `lifted` for logits `[B, identities]`, embeddings
  /// `[B, D]` and one identity label per row.
  public func callAsFunction(logits: Variable, embeddings: Variable, labels: [Int]) -> LossTerms {
    let ce = CrossEntropyLoss(labelSmoothing: labelSmoothing)(logits, labels: labels)
    let e = normalizeEmbeddings ? Self.l2Normalized(embeddings) : embeddings
    let lifted = LiftedStructuredLoss(margin: margin)(e, labels: labels)
    return LossTerms([("crossEntropy", ce * crossEntropyWeight), ("lifted", lifted * liftedWeight)])
  }

  /// Rows divided by their Euclidean norm, `f / √(‖f‖² + 1e-12)`.
  public static func l2Normalized(_ x: Variable) -> Variable {
    x / (x.squared().sum(axes: [1], keepDims: true) + 1e-12).sqrt()
  }
}
