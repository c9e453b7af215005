import Tensors

/// Running statistics of a batch-normalisation layer, updated in training mode.
public final class BatchNormState: Codable {
  public var runningMean: Tensor<Float>
  public var runningVar: Tensor<Float>
  /// Weight of the new batch statistic in the running average (PyTorch's `momentum`, 0.1).
  public var momentum: Float
  public var epsilon: Float

  public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
    runningMean = Tensor(zeros: [channels])
    runningVar = Tensor(repeating: 1, shape: [channels])
    self.momentum = momentum
    self.epsilon = epsilon
  }

  /// Moves the running statistics toward the batch's `stats` over `count` values per channel:
  /// the mean, and the variance made unbiased (·count/(count − 1)), as PyTorch does.
  func update(_ stats: BatchNormKernel.Statistics, count: Int) {
    let m = Float(count), mo = momentum
    for ch in stats.mean.indices {
      let unbiased = stats.variance[ch] * m / Swift.max(m - 1, 1)
      runningMean.scalars[ch] = runningMean.scalars[ch] * (1 - mo) + stats.mean[ch] * mo
      runningVar.scalars[ch] = runningVar.scalars[ch] * (1 - mo) + unbiased * mo
    }
  }

  /// 1/√(running variance + ε) per channel: what inference mode normalises with.
  public var runningInvStd: [Float] { runningVar.scalars.map { 1 / ($0 + epsilon).squareRoot() } }
}

extension Variable {
  /// Batch normalisation over the channel axis 1 of an NCHW (or NC) input
  /// (Ioffe & Szegedy, "Batch Normalization", ICML 2015).
  ///
  /// In training mode the batch mean and biased variance normalise the input, and the running
  /// statistics move toward the batch mean and the *unbiased* variance (as PyTorch does). In
  /// inference mode the running statistics are used and the op is an affine map per channel.
  /// Forward and backward are fused kernels (``BatchNormKernel``). With `activation`, the
  /// result is `relu(bn(x))` or `leakyRelu(bn(x))` computed in the same kernels (the values
  /// and gradients are those of the two ops in sequence; the normalised intermediate is never
  /// stored).
  public func batchNorm(
    gamma: Variable, beta: Variable, state: BatchNormState, training: Bool,
    activation: BatchNormKernel.Activation? = nil
  ) -> Variable {
    let x = value
    precondition(x.rank >= 2, "batchNorm: input must be [N, C, …], got \(x.shape)")
    let c = x.shape[1]
    precondition(
      gamma.shape == [c] && beta.shape == [c], "batchNorm: gamma \(gamma.shape) and beta \(beta.shape) must be [\(c)]")
    let mean: [Float], invStd: [Float], y: Tensor<Float>
    let g = gamma.value, b = beta.value
    if training {
      let (output, stats) = BatchNormKernel.trainingForward(
        x, epsilon: state.epsilon, gamma: g, beta: b, activation: activation)
      y = output
      mean = stats.mean
      invStd = stats.invStd
      state.update(stats, count: x.count / c)
    } else {
      mean = state.runningMean.scalars
      invStd = state.runningInvStd
      y = BatchNormKernel.normalize(x, mean: mean, invStd: invStd, gamma: g, beta: b, activation: activation)
    }
    let name: String
    switch activation {
    case nil: name = "batchNorm"
    case .relu?: name = "batchNormRelu"
    case .leakyRelu?: name = "batchNormLeakyRelu"
    }
    return Variable.record(name, y, parents: [self, gamma, beta]) { grad in
      let r = BatchNormKernel.backward(
        grad, x: x, mean: mean, invStd: invStd, gamma: g, training: training,
        activation: activation, beta: b)
      return [r.dx, r.dgamma, r.dbeta]
    }
  }
}

extension Variable {
  /// `batchNorm(gamma:beta:state:training: true, activation:)` followed by a 2×2, stride-2 max
  /// pool (floor mode, no padding) as one op in training: the normalised, activated full-size
  /// map is pooled while in cache and never stored, and the backward pass builds each plane's
  /// routed gradient where it needs it (``BatchNormKernel/trainingForwardMaxPool(_:epsilon:gamma:beta:activation:)``,
  /// ``BatchNormKernel/backwardMaxPool(_:argmax:x:mean:invStd:gamma:activation:beta:)``). Values,
  /// running statistics and gradients are bit-identical to the two ops in sequence. The input
  /// must be NCHW of at least 2×2.
  public func batchNormMaxPool2x2(
    gamma: Variable, beta: Variable, state: BatchNormState, activation: BatchNormKernel.Activation? = nil
  ) -> Variable {
    let x = value
    precondition(x.rank == 4, "batchNorm + max pool: input must be NCHW, got \(x.shape)")
    let c = x.shape[1]
    precondition(
      gamma.shape == [c] && beta.shape == [c], "batchNorm: gamma \(gamma.shape) and beta \(beta.shape) must be [\(c)]")
    let g = gamma.value, b = beta.value
    let (y, argmax, stats) = BatchNormKernel.trainingForwardMaxPool(
      x, epsilon: state.epsilon, gamma: g, beta: b, activation: activation)
    state.update(stats, count: x.count / c)
    return Variable.record("batchNormMaxPool", y, parents: [self, gamma, beta]) { grad in
      let r = BatchNormKernel.backwardMaxPool(
        grad, argmax: argmax, x: x, mean: stats.mean, invStd: stats.invStd, gamma: g, activation: activation, beta: b)
      return [r.dx, r.dgamma, r.dbeta]
    }
  }
}
