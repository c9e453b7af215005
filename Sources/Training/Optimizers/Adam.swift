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
    precondition(
      gradient.count == theta.count && m.count == theta.count && v.count == theta.count,
      "Adam: parameter '\(name)' has \(theta.count) elements but its gradient \(gradient.count) and moments \(m.count), \(v.count)"
    )
    let bc1 = 1 - Float(LibM.pow(Double(beta1), Double(step)))
    let bc2 = 1 - Float(LibM.pow(Double(beta2), Double(step)))
    let stepSize = lr / bc1, sqrtBC2 = bc2.squareRoot()
    let k = Coefficients(
      decay: wd == 0 ? nil : (decoupledWeightDecay ? .decoupled(1 - lr * wd) : .l2(wd)),
      beta1: beta1, beta2: beta2, stepSize: stepSize, sqrtBC2: sqrtBC2, epsilon: epsilon)
    gradient.scalars.withUnsafeBufferPointer { g in
      theta.scalars.withUnsafeMutableBufferPointer { p in
        m.withUnsafeMutableBufferPointer { m in
          v.withUnsafeMutableBufferPointer { v in
            guard let pp = p.baseAddress, let pg = g.baseAddress, let pm = m.baseAddress, let pv = v.baseAddress
            else { return }
            let (tp, tm, tv) = (SendablePointer(pp), SendablePointer(pm), SendablePointer(pv))
            let tg = SendablePointer(UnsafeMutablePointer(mutating: pg))
            Parallel.forEachBlock(count: p.count) { range in
              Adam.apply(k, p: tp.p, g: tg.p, m: tm.p, v: tv.p, range: range)
            }
          }
        }
      }
    }
    state.buffers["expAvg/\(name)"] = Tensor(shape: theta.shape, scalars: m)
    state.buffers["expAvgSq/\(name)"] = Tensor(shape: theta.shape, scalars: v)
  }

  /// The constants of one update.
  struct Coefficients {
    enum Decay {
      /// AdamW: θ ← θ·factor with factor = 1 − η·λ.
      case decoupled(Float)
      /// Adam: g ← g + λ·θ.
      case l2(Float)
    }
    let decay: Decay?
    let beta1: Float, beta2: Float, stepSize: Float, sqrtBC2: Float, epsilon: Float
  }

  /// The update of elements `range`: sixteen lanes at a time with exactly the scalar formula's
  /// operations in the same order (IEEE lane-wise arithmetic, correctly rounded square root and
  /// division), so every element is bit-identical to the scalar loop's.
  @inline(__always)
  static func apply(
    _ k: Coefficients, p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
    v: UnsafeMutablePointer<Float>, range: Range<Int>
  ) {
    typealias V = SIMD16<Float>
    let (b1, c1, b2, c2) = (k.beta1, 1 - k.beta1, k.beta2, 1 - k.beta2)
    let (step, root, eps) = (k.stepSize, k.sqrtBC2, k.epsilon)
    var i = range.lowerBound
    func load(_ q: UnsafePointer<Float>) -> V { UnsafeRawPointer(q).loadUnaligned(as: V.self) }
    func store(_ x: V, _ q: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(q).storeBytes(of: x, as: V.self) }
    while i + 16 <= range.upperBound {
      var d = load(g + i), pi = load(p + i)
      switch k.decay {
      case .decoupled(let factor)?: pi *= V(repeating: factor)
      case .l2(let wd)?: d += V(repeating: wd) * pi
      case nil: break
      }
      let mi = V(repeating: b1) * load(m + i) + V(repeating: c1) * d
      let vi = V(repeating: b2) * load(v + i) + V(repeating: c2) * d * d
      pi -= V(repeating: step) * mi / (vi.squareRoot() / V(repeating: root) + V(repeating: eps))
      store(mi, m + i); store(vi, v + i); store(pi, p + i)
      i += 16
    }
    while i < range.upperBound {
      var d = g[i]
      switch k.decay {
      case .decoupled(let factor)?: p[i] *= factor
      case .l2(let wd)?: d += wd * p[i]
      case nil: break
      }
      m[i] = b1 * m[i] + c1 * d
      v[i] = b2 * v[i] + c2 * d * d
      p[i] -= step * m[i] / (v[i].squareRoot() / root + eps)
      i += 1
    }
  }
}
