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
    precondition(
      gradient.count == theta.count && (momentum == 0 || b.count == theta.count),
      "SGD: parameter '\(name)' has \(theta.count) elements but its gradient \(gradient.count) and momentum \(b.count)")
    let (mu, damp, nesterov) = (momentum, dampening, self.nesterov)
    gradient.scalars.withUnsafeBufferPointer { g in
      theta.scalars.withUnsafeMutableBufferPointer { p in
        b.withUnsafeMutableBufferPointer { buf in
          guard let pp = p.baseAddress, let pg = g.baseAddress else { return }
          let (tp, tg) = (SendablePointer(pp), SendablePointer(UnsafeMutablePointer(mutating: pg)))
          // the momentum buffer is empty without momentum; a placeholder keeps one code path
          let tb = buf.baseAddress.map { SendablePointer($0) } ?? tp
          // Elementwise, so the update runs in parallel blocks with results independent of the split.
          Parallel.forEachBlock(count: p.count) { range in
            SGD.apply(
              p: tp.p, g: tg.p, buffer: tb.p, range: range, lr: lr, wd: wd, mu: mu, damp: damp, nesterov: nesterov,
              first: first)
          }
        }
      }
    }
    if momentum != 0 { state.buffers[key] = Tensor(shape: theta.shape, scalars: b) }
  }

  /// The update of elements `range`. The common cases are separate loops without per-element
  /// branches, so they vectorise.
  @inline(__always)
  static func apply(
    p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, buffer buf: UnsafeMutablePointer<Float>,
    range: Range<Int>, lr: Float, wd: Float, mu: Float, damp: Float, nesterov: Bool, first: Bool
  ) {
    if mu == 0 {
      for i in range { p[i] -= lr * (g[i] + wd * p[i]) }
    } else if first {
      for i in range {
        let d = g[i] + wd * p[i]
        buf[i] = d
        p[i] -= lr * (nesterov ? d + mu * d : d)
      }
    } else if nesterov {
      for i in range {
        let d = g[i] + wd * p[i]
        let v = mu * buf[i] + (1 - damp) * d
        buf[i] = v
        p[i] -= lr * (d + mu * v)
      }
    } else {
      for i in range {
        let v = mu * buf[i] + (1 - damp) * (g[i] + wd * p[i])
        buf[i] = v
        p[i] -= lr * v
      }
    }
  }
}
