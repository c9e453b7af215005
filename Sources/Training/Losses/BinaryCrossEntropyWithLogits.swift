import Autograd

extension Variable {
  /// Elementwise binary cross-entropy of logits `x` against targets `z` in [0, 1], in the
  /// stable form `max(x, 0) − x·z + log(1 + exp(−|x|))`.
  ///
  /// A fused op with its own gradient, `σ(x) − z`, because the composed form's kinks (ReLU and
  /// |x| at 0) would give the wrong subgradient at exactly `x = 0`, which is where zero-initialised
  /// biases start. Targets are constants (no gradient flows to them).
  public func binaryCrossEntropy(withLogitsTargets targets: Tensor<Float>) -> Variable {
    precondition(targets.shape == shape, "binaryCrossEntropy: targets \(targets.shape) differ from logits \(shape)")
    let x = value
    let y = Tensor.zip(x, targets) { x, z in
      Swift.max(x, 0) - x * z + LibM.log1p(LibM.exp(-Swift.abs(x)))
    }
    return Variable.record("bceWithLogits", y, parents: [self]) { g in
      [Tensor.zip(g, Tensor.zip(x, targets) { Tensor.sigmoid($0) - $1 }, *)]
    }
  }
}

/// Binary cross-entropy on logits (`BCEWithLogitsLoss`), optionally weighted per element and
/// with a positive-class weight `p` that scales the `z·log σ(x)` part (PyTorch's `pos_weight`).
///
/// With `p = 1`: `ℓ = −[z log σ(x) + (1 − z) log(1 − σ(x))]`, evaluated stably.
public struct BinaryCrossEntropyLoss: Sendable {
  /// How elementwise losses are combined (mean over all elements by default).
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .mean) { self.reduction = reduction }

  /// The loss of `logits` against `targets` of the same shape; `weights` (broadcastable) scale
  /// each element before the reduction (the mean still divides by the element count, as in
  /// PyTorch's `weight` argument).
  public func callAsFunction(_ logits: Variable, targets: Tensor<Float>, weights: Tensor<Float>? = nil) -> Variable {
    var l = logits.binaryCrossEntropy(withLogitsTargets: targets)
    if let weights { l = l * Variable(weights) }
    return reduction.apply(l)
  }
}
