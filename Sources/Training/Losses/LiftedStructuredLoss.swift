import Autograd

/// Lifted structured embedding loss (Oh Song, Xiang, Jegelka & Savarese, "Deep Metric Learning
/// via Lifted Structured Feature Embedding", CVPR 2016, eq. 4 — the smooth upper bound).
///
/// For embeddings `f_i` (rows of `[B, D]`) with identity labels, `D_ij = ‖f_i − f_j‖₂`
/// (Euclidean, not squared), `P` the set of *unordered* positive pairs `{i, j}`, `i < j`, same
/// label, and `N` the negatives:
///
///     J_ij = log( Σ_{k: (i,k) ∈ N} exp(α − D_ik) + Σ_{l: (j,l) ∈ N} exp(α − D_jl) ) + D_ij
///     J    = 1 / (2|P|) · Σ_{{i,j} ∈ P} max(0, J_ij)²
///
/// The log-sum-exp is evaluated with a per-row shift `m_i = max_k (α − D_ik)` (a constant),
/// so it never overflows or takes log 0. `D_ij` uses `√(‖f_i − f_j‖² + 1e-12)`, which keeps the
/// gradient finite on the diagonal. Batches come from ``PKBatchSampler`` (P identities × K
/// images), so every sample has positives and negatives.
///
/// Its value has a floor well above zero on unit-length embeddings (``FaceDescriptorLoss``
/// normalises them): distances are at most 2, so with `n` negatives per pair row
/// `J_ij ≥ log(n) + α − 2`, and with negatives orthogonal rather than opposite (`D = √2`, what
/// many identities on a sphere can reach) `J_ij ≈ log(n) + α − √2 + D_ij`. For `faceid.json`'s
/// 16 × 4 batches (`n` = 2 × 60) that is about 4.4–4.7, i.e. a loss of about 10–11, and training
/// ends near 13 while verification is good: read the trend, not the absolute value.
public struct LiftedStructuredLoss: Sendable {
  /// The margin α (1 in the paper).
  public var margin: Float

  /// Creates the loss with margin α.
  public init(margin: Float = 1) { self.margin = margin }

  /// The loss of `embeddings` `[B, D]` with one identity label per row.
  public func callAsFunction(_ embeddings: Variable, labels: [Int]) -> Variable {
    let b = embeddings.shape[0]
    precondition(
      embeddings.value.rank == 2 && labels.count == b,
      "LiftedStructuredLoss: embeddings \(embeddings.shape) must be [B, D] with B = \(labels.count) labels")
    let d = embeddings.shape[1]
    let diff = embeddings.reshaped([b, 1, d]) - embeddings.reshaped([1, b, d])
    let distance = (diff.squared().sum(axes: [2]) + 1e-12).sqrt()  // [B, B]
    var negative = Tensor<Float>(zeros: [b, b]), positive = Tensor<Float>(zeros: [b, b])
    for i in 0..<b {
      for j in 0..<b where i != j {
        if labels[i] == labels[j] {
          if i < j { positive.scalars[i * b + j] = 1 }
        } else {
          negative.scalars[i * b + j] = 1
        }
      }
    }
    let pairCount = positive.scalars.reduce(0, +)
    precondition(
      pairCount > 0 && negative.scalars.contains(1),
      "LiftedStructuredLoss: the batch needs at least one positive and one negative pair (use PKBatchSampler with P ≥ 2, K ≥ 2)"
    )
    // Per-row shift m_i = max over negatives of (α − D_ik), a constant.
    var shift = [Float](repeating: 0, count: b)
    for i in 0..<b {
      var m = -Float.infinity
      for k in 0..<b where negative.scalars[i * b + k] == 1 {
        m = Swift.max(m, margin - distance.value.scalars[i * b + k])
      }
      shift[i] = m.isFinite ? m : 0
    }
    // Exponents α − D_ik − m_i ≤ 0 for negatives; other entries get a shift that makes their
    // exponent −100 (finite, then masked to 0) so that no exp overflows, even on the diagonal.
    let shiftMatrix = Tensor<Float>(shape: [b, b]) { e in
      negative.scalars[e] == 1 ? shift[e / b] : margin - distance.value.scalars[e] + 100
    }
    let rowSums = (((-distance + margin) - Variable(shiftMatrix)).exp() * Variable(negative)).sum(axes: [1])  // s_i
    // log(e^{m_i} s_i + e^{m_j} s_j) = M_ij + log(e^{m_i − M_ij} s_i + e^{m_j − M_ij} s_j).
    let pairMax = Tensor<Float>(shape: [b, b]) { Swift.max(shift[$0 / b], shift[$0 % b]) }
    let scaleI = Tensor<Float>(shape: [b, b]) { LibM.exp(shift[$0 / b] - pairMax.scalars[$0]) }
    let scaleJ = Tensor<Float>(shape: [b, b]) { LibM.exp(shift[$0 % b] - pairMax.scalars[$0]) }
    let sum = rowSums.reshaped([b, 1]) * Variable(scaleI) + rowSums.reshaped([1, b]) * Variable(scaleJ)
    let j = sum.log() + Variable(pairMax) + distance
    return (j.relu().squared() * Variable(positive)).sum() / (2 * pairCount)
  }
}
