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
}

extension Variable {
  /// Batch normalisation over the channel axis 1 of an NCHW (or NC) input
  /// (Ioffe & Szegedy, "Batch Normalization", ICML 2015).
  ///
  /// In training mode the batch mean and biased variance normalise the input, and the running
  /// statistics move toward the batch mean and the *unbiased* variance (as PyTorch does). In
  /// inference mode the running statistics are used and the op is an affine map per channel.
  /// The training-mode backward is the closed form
  /// dx = γ/σ · (g − mean(g) − x̂ · mean(g ⊙ x̂)) with means over N, H, W.
  public func batchNorm(gamma: Variable, beta: Variable, state: BatchNormState, training: Bool) -> Variable {
    let x = value
    precondition(x.rank >= 2, "batchNorm: input must be [N, C, …], got \(x.shape)")
    let c = x.shape[1]
    precondition(gamma.shape == [c] && beta.shape == [c], "batchNorm: gamma \(gamma.shape) and beta \(beta.shape) must be [\(c)]")
    let axes = [0] + Array(2..<x.rank)
    let bshape = [1, c] + [Int](repeating: 1, count: x.rank - 2)
    let m = x.count / c
    let mean: Tensor<Float>, variance: Tensor<Float>
    if training {
      mean = x.mean(axes: axes, keepDims: true)
      variance = (x - mean).squared().mean(axes: axes, keepDims: true)
      let unbiased = variance.reshaped([c]) * (Float(m) / Float(Swift.max(m - 1, 1)))
      state.runningMean = state.runningMean * (1 - state.momentum) + mean.reshaped([c]) * state.momentum
      state.runningVar = state.runningVar * (1 - state.momentum) + unbiased * state.momentum
    } else {
      mean = state.runningMean.reshaped(bshape)
      variance = state.runningVar.reshaped(bshape)
    }
    let invStd = (variance + state.epsilon).map { 1 / $0.squareRoot() }
    let xhat = (x - mean) * invStd
    let g4 = gamma.value.reshaped(bshape)
    let y = xhat * g4 + beta.value.reshaped(bshape)
    return Variable.record("batchNorm", y, parents: [self, gamma, beta]) { g in
      let dgamma = (g * xhat).sum(axes: axes)
      let dbeta = g.sum(axes: axes)
      let dx: Tensor<Float>
      if training {
        let gMean = g.mean(axes: axes, keepDims: true)
        let gxMean = (g * xhat).mean(axes: axes, keepDims: true)
        dx = (g - gMean - xhat * gxMean) * (g4 * invStd)
      } else {
        dx = g * (g4 * invStd)
      }
      return [dx, dgamma, dbeta]
    }
  }
}
