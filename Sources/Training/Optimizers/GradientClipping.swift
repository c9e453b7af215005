import Autograd

/// Gradient clipping by global norm (Pascanu, Mikolov & Bengio, "On the difficulty of training
/// recurrent neural networks", ICML 2013), as PyTorch's `clip_grad_norm_`: when the L2 norm of
/// all gradients together exceeds `maxNorm`, every gradient is scaled by
/// `maxNorm / (norm + 1e-6)`.
public enum GradientClipping {
  /// The global L2 norm of the gradients, accumulated in `Double` in parameter order.
  public static func globalNorm(_ parameters: [TrainableParameter]) -> Double {
    var sum = 0.0
    for p in parameters {
      guard let g = p.variable.grad else { continue }
      for x in g.scalars { sum += Double(x) * Double(x) }
    }
    return LibM.sqrt(sum)
  }

  /// Clips in place and returns the norm before clipping.
  @discardableResult
  public static func clip(_ parameters: [TrainableParameter], maxNorm: Float) -> Double {
    let norm = globalNorm(parameters)
    let scale = Float(Double(maxNorm) / (norm + 1e-6))
    if scale < 1 {
      for p in parameters { p.variable.grad = p.variable.grad.map { $0 * scale } }
    }
    return norm
  }
}
