import Tensors

extension Variable {
  /// A convolution followed by batch normalisation, optionally an activation and optionally a
  /// max pool: `conv2d(weight:bias:_:)`, `batchNorm(gamma:beta:state:training:activation:)`,
  /// then `maxPool2d(_:)` with `maxPool` when given.
  ///
  /// In inference (running statistics, `training == false`) with no gradient to record
  /// (``GradMode`` off, or nothing here needs a gradient), the normalisation and the activation
  /// — and a 2×2, stride-2 max pool — run inside the convolution as its epilogue
  /// (``Conv2D/Epilogue``) while each part of the output is still in cache, instead of as
  /// further passes over the whole tensor; the values are bit-identical to the ops in sequence.
  /// In training, a 2×2 max pool runs with the normalisation as one op
  /// (``batchNormMaxPool2x2(gamma:beta:state:activation:)``, bit-identical too). Otherwise it
  /// is exactly those ops.
  public func conv2dBatchNorm(
    weight: Variable, bias: Variable? = nil, _ p: Conv2DParameters = Conv2DParameters(),
    gamma: Variable, beta: Variable, state: BatchNormState, training: Bool,
    activation: BatchNormKernel.Activation? = nil, maxPool: Pool2DParameters? = nil
  ) -> Variable {
    let parents = [self, weight, gamma, beta] + (bias.map { [$0] } ?? [])
    // The epilogue pools whole 2×2 windows; an output narrower than 2 (where a plain pool
    // still returns one clipped window) is pooled by the ordinary op.
    let (oh, ow) = p.outputSize(h: shape[2], w: shape[3], kh: weight.shape[2], kw: weight.shape[3])
    let pools2x2 = (maxPool.map(Conv2D.Epilogue.isPlainMaxPool2x2) ?? false) && oh >= 2 && ow >= 2
    guard !training, !Variable.recordsGradient(parents: parents) else {
      let z = conv2d(weight: weight, bias: bias, p)
      if training && pools2x2 {
        return z.batchNormMaxPool2x2(gamma: gamma, beta: beta, state: state, activation: activation)
      }
      let y = z.batchNorm(gamma: gamma, beta: beta, state: state, training: training, activation: activation)
      return maxPool.map { y.maxPool2d($0) } ?? y
    }
    if case .leakyRelu(let a) = activation {
      precondition(a >= 0, "batchNorm: a fused leaky ReLU needs a slope ≥ 0, got \(a)")
    }
    let o = weight.shape[0]
    precondition(
      gamma.shape == [o] && beta.shape == [o], "batchNorm: gamma \(gamma.shape) and beta \(beta.shape) must be [\(o)]")
    let epilogue = Conv2D.Epilogue(
      batchNormMean: state.runningMean.scalars, invStd: state.runningInvStd, gamma: gamma.value, beta: beta.value,
      activation: activation, maxPool2x2: pools2x2)
    let y = Variable(Conv2D.forward(value, weight: weight.value, bias: bias?.value, p, epilogue: epilogue))
    guard let maxPool, !pools2x2 else { return y }
    return y.maxPool2d(maxPool)
  }
}
