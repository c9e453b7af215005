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

  /// Updates one parameter in place. Buffers are taken out of the state while they are
  /// updated so that they are uniquely referenced and modified without copying.
  func update(
    _ theta: inout Tensor<Float>, gradient: Tensor<Float>, name: String, decays: Bool,
    learningRate lr: Float, state: inout OptimizerState
  ) {
    let wd = decays ? weightDecay : 0
    let key = "momentum/\(name)"
    var b: [Float] = []
    var first = true
    if momentum != 0 {
      if let existing = state.buffers.removeValue(forKey: key) {
        b = existing.scalars
        first = false
      } else {
        b = [Float](repeating: 0, count: theta.count)
      }
    }
    let (mu, damp, nesterov) = (momentum, dampening, self.nesterov)
    gradient.scalars.withUnsafeBufferPointer { g in
      theta.scalars.withUnsafeMutableBufferPointer { p in
        b.withUnsafeMutableBufferPointer { buf in
          // The common cases as separate loops without per-element branches (they vectorise).
          if mu == 0 {
            for i in 0..<p.count { p[i] -= lr * (g[i] + wd * p[i]) }
          } else if first {
            for i in 0..<p.count {
              let d = g[i] + wd * p[i]
              buf[i] = d
              p[i] -= lr * (nesterov ? d + mu * d : d)
            }
          } else if nesterov {
            for i in 0..<p.count {
              let d = g[i] + wd * p[i]
              let v = mu * buf[i] + (1 - damp) * d
              buf[i] = v
              p[i] -= lr * (d + mu * v)
            }
          } else {
            for i in 0..<p.count {
              let v = mu * buf[i] + (1 - damp) * (g[i] + wd * p[i])
              buf[i] = v
              p[i] -= lr * v
            }
          }
        }
      }
    }
    if momentum != 0 { state.buffers[key] = Tensor(shape: theta.shape, scalars: b) }
  }
}
