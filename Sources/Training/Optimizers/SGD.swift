import Tensors

/// Stochastic gradient descent with momentum, Nesterov momentum and L2 weight decay, with
/// PyTorch's update (`torch.optim.SGD`; Sutskever et al., "On the importance of initialization
/// and momentum in deep learning", ICML 2013, for the Nesterov form):
///
///     g ← ∇ + λ·θ                      (λ only for decaying parameters)
///     b ← g at the first step, else μ·b + (1 − dampening)·g
///     g ← g + μ·b  (Nesterov)  or  b
///     θ ← θ − η·g
public struct SGD: Codable, Equatable, Sendable {
  /// Momentum μ (0 disables the buffer).
  public var momentum: Float
  /// Dampening of the momentum update.
  public var dampening: Float
  /// Nesterov momentum (needs μ > 0 and no dampening).
  public var nesterov: Bool
  /// L2 weight decay λ.
  public var weightDecay: Float

  /// Creates the optimizer settings.
  public init(momentum: Float = 0.9, dampening: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
    self.momentum = momentum
    self.dampening = dampening
    self.nesterov = nesterov
    self.weightDecay = weightDecay
  }

  /// Updates one parameter in place.
  func update(_ theta: inout Tensor<Float>, gradient: Tensor<Float>, name: String, decays: Bool,
              learningRate lr: Float, state: inout OptimizerState) {
    let n = theta.count
    var g = gradient.scalars
    let wd = decays ? weightDecay : 0
    if wd != 0 { for i in 0..<n { g[i] += wd * theta.scalars[i] } }
    if momentum != 0 {
      let key = "momentum/\(name)"
      if var b = state.buffers[key] {
        for i in 0..<n { b.scalars[i] = momentum * b.scalars[i] + (1 - dampening) * g[i] }
        state.buffers[key] = b
      } else {
        state.buffers[key] = Tensor(shape: theta.shape, scalars: g)
      }
      let b = state.buffers[key]?.scalars ?? g
      if nesterov { for i in 0..<n { g[i] += momentum * b[i] } } else { g = b }
    }
    theta.scalars.withUnsafeMutableBufferPointer { p in
      for i in 0..<n { p[i] -= lr * g[i] }
    }
  }
}
