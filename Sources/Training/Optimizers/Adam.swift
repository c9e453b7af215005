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
  public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0,
              decoupledWeightDecay: Bool = false) {
    self.beta1 = beta1
    self.beta2 = beta2
    self.epsilon = epsilon
    self.weightDecay = weightDecay
    self.decoupledWeightDecay = decoupledWeightDecay
  }

  /// AdamW settings (PyTorch defaults, λ = 0.01).
  public static func adamW(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
    Adam(beta1: beta1, beta2: beta2, epsilon: epsilon, weightDecay: weightDecay, decoupledWeightDecay: true)
  }

  /// Updates one parameter in place; `step` is the 1-based step count t.
  func update(_ theta: inout Tensor<Float>, gradient: Tensor<Float>, name: String, decays: Bool,
              learningRate lr: Float, step: Int, state: inout OptimizerState) {
    let n = theta.count
    let wd = decays ? weightDecay : 0
    var g = gradient.scalars
    if wd != 0 {
      if decoupledWeightDecay {
        let f = 1 - lr * wd
        for i in 0..<n { theta.scalars[i] *= f }
      } else {
        for i in 0..<n { g[i] += wd * theta.scalars[i] }
      }
    }
    var m = state.buffers["expAvg/\(name)"] ?? Tensor(zeros: theta.shape)
    var v = state.buffers["expAvgSq/\(name)"] ?? Tensor(zeros: theta.shape)
    let bc1 = 1 - Float(powd_(Double(beta1), Double(step)))
    let bc2 = 1 - Float(powd_(Double(beta2), Double(step)))
    let stepSize = lr / bc1
    let sqrtBC2 = bc2.squareRoot()
    for i in 0..<n {
      m.scalars[i] = beta1 * m.scalars[i] + (1 - beta1) * g[i]
      v.scalars[i] = beta2 * v.scalars[i] + (1 - beta2) * g[i] * g[i]
      let denom = v.scalars[i].squareRoot() / sqrtBC2 + epsilon
      theta.scalars[i] -= stepSize * m.scalars[i] / denom
    }
    state.buffers["expAvg/\(name)"] = m
    state.buffers["expAvgSq/\(name)"] = v
  }
}
