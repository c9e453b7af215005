import Tensors

/// Adam (Kingma & Ba, "Adam: A Method for Stochastic Optimization", ICLR 2015) and AdamW
/// (Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019), with PyTorch's
/// arithmetic (`torch.optim.Adam` / `AdamW`):
///
///     Adam:  g ← ∇ + λ·θ                       AdamW:  θ ← θ·(1 − η·λ), g ← ∇
///     m ← β₁·m + (1 − β₁)·g,  v ← β₂·v + (1 − β₂)·g²
///     θ ← θ − (η / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
public struct Adam: Codable, Equatable, Sendable {
  /// Decay of the first moment β₁.
  public var beta1: Float
  /// Decay of the second moment β₂.
  public var beta2: Float
  /// ε added to the denominator.
  public var epsilon: Float
  /// Weight decay λ (L2 in the gradient for Adam, decoupled for AdamW).
  public var weightDecay: Float
  /// AdamW's decoupled weight decay instead of L2.
  public var decoupledWeightDecay: Bool

  /// Creates Adam settings (PyTorch defaults).
  public init(
    beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
    decoupledWeightDecay: Bool = false
  ) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupledWeightDecay
  }

  /// AdamW settings (PyTorch defaults, λ = 0.01).
  public static func adamW(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01)
    -> Adam
  {
    Adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: true)
  }

  /// Updates one parameter in place; `step` is the 1-based step count t. The moment buffers
  /// are taken out of the state while they are updated, so they are modified without copying.
  func update(
    _ theta: inout Tensor<Float>, gradient: Tensor<Float>, name: String, decays: Bool,
    learningRate lr: Float, step: Int, state: inout OptimizerState
  ) {
    let wd = decays ? weightDecay : 0
    var m = (state.buffers.removeValue(forKey: "expAvg/\(name)") ?? Tensor(zeros: theta.shape)).scalars
    var v = (state.buffers.removeValue(forKey: "expAvgSq/\(name)") ?? Tensor(zeros: theta.shape)).scalars
    let bc1 = 1 - Float(LibM.pow(Double(beta1), Double(step)))
    let bc2 = 1 - Float(LibM.pow(Double(beta2), Double(step)))
    let stepSize = lr / bc1, sqrtBC2 = bc2.squareRoot()
    let (b1, b2, eps, decoupled) = (beta1, beta2, epsilon, decoupledWeightDecay)
    gradient.scalars.withUnsafeBufferPointer { g in
      theta.scalars.withUnsafeMutableBufferPointer { p in
        m.withUnsafeMutableBufferPointer { m in
          v.withUnsafeMutableBufferPointer { v in
            for i in 0..<p.count {
              var d = g[i]
              if wd != 0 {
                if decoupled { p[i] *= 1 - lr * wd } else { d += wd * p[i] }
              }
              m[i] = b1 * m[i] + (1 - b1) * d
              v[i] = b2 * v[i] + (1 - b2) * d * d
              p[i] -= stepSize * m[i] / (v[i].squareRoot() / sqrtBC2 + eps)
            }
          }
        }
      }
    }
    state.buffers["expAvg/\(name)"] = Tensor(shape: theta.shape, scalars: m)
    state.buffers["expAvgSq/\(name)"] = Tensor(shape: theta.shape, scalars: v)
  }
}
