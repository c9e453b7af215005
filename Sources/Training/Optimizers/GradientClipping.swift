import Autograd

/// Gradient clipping by global norm (Pascanu, Mikolov & Bengio, "On the difficulty of training
/// recurrent neural networks", ICML 2013), as PyTorch's `clip_grad_norm_`: when the L2 norm of
/// all gradients together exceeds `maxNorm`, every gradient is scaled by
/// `maxNorm / (norm + 1e-6)`.
public enum GradientClipping {
  /// The global L2 norm of the gradients: squares summed in `Double` (each square is exact),
  /// eight lanes per tensor combined in a fixed order, then the tensors in parameter order — a
  /// deterministic sum that does not wait on one long chain of dependent additions.
  public static func globalNorm(_ parameters: [TrainableParameter]) -> Double {
    var sum = 0.0
    for p in parameters {
      guard let g = p.variable.grad else { continue }
      sum += squaredSum(g.scalars)
    }
    return LibM.sqrt(sum)
  }

  static func squaredSum(_ x: [Float]) -> Double {
    x.withUnsafeBufferPointer { b in
      guard let p = b.baseAddress else { return 0 }
      var acc = SIMD8<Double>(), i = 0
      while i + 8 <= b.count {
        let d = SIMD8<Double>(UnsafeRawPointer(p + i).loadUnaligned(as: SIMD8<Float>.self))
        acc += d * d
        i += 8
      }
      var total = acc.sum()
      while i < b.count { total += Double(p[i]) * Double(p[i]); i += 1 }
      return total
    }
  }

  /// Clips in place and returns the norm before clipping.
  @discardableResult
  public static func clip(_ parameters: [TrainableParameter], maxNorm: Float) -> Double {
    let norm = globalNorm(parameters)
    let scale = Float(Double(maxNorm) / (norm + 1e-6))
    if norm.isFinite, scale < 1 {  // a non-finite norm leaves the gradients for the caller's check
      for p in parameters {
        // in place: the gradient's storage is not shared once backward has finished
        p.variable.grad?.scalars.withUnsafeMutableBufferPointer { g in
          for i in 0..<g.count { g[i] *= scale }
        }
      }
    }
    return norm
  }
}
