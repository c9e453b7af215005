/// Random tensors and the standard weight initialisers, all drawn from a ``RandomStream``.
extension Tensor where Scalar == Float {
  /// Uniform samples in [low, high).
  public static func uniform(_ shape: [Int], low: Float = 0, high: Float = 1, rng: inout RandomStream) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.product).map { _ in rng.nextFloat(in: low..<high) })
  }

  /// Normal samples with the given mean and standard deviation.
  public static func normal(_ shape: [Int], mean: Float = 0, std: Float = 1, rng: inout RandomStream) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.product).map { _ in mean + std * rng.nextNormal() })
  }

  /// Bernoulli(p) samples as 0/1.
  public static func bernoulli(_ shape: [Int], p: Float, rng: inout RandomStream) -> Tensor {
    Tensor(shape: shape, scalars: (0..<shape.product).map { _ in rng.nextBernoulli(p) ? 1 : 0 })
  }

  /// Fan-in and fan-out of a weight: [out, in] for dense, [out, in/groups, kH, kW] for conv.
  public static func fans(_ shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    precondition(shape.count >= 2, "fans: weight shape \(shape) needs at least two axes")
    let receptive = Array(shape[2...]).product
    return (shape[1] * receptive, shape[0] * receptive)
  }

  /// Kaiming/He uniform initialisation (He et al., "Delving Deep into Rectifiers", ICCV 2015):
  /// U(−b, b) with b = gain·√(3 / fanIn); gain √2 suits ReLU, √(2/(1+a²)) leaky ReLU with slope a.
  public static func kaimingUniform(_ shape: [Int], gain: Float = 1.4142135, rng: inout RandomStream) -> Tensor {
    let bound = gain * (3.0 / Float(fans(shape).fanIn)).squareRoot()
    return uniform(shape, low: -bound, high: bound, rng: &rng)
  }

  /// Kaiming/He normal initialisation: N(0, gain² / fanIn).
  public static func kaimingNormal(_ shape: [Int], gain: Float = 1.4142135, rng: inout RandomStream) -> Tensor {
    normal(shape, std: gain / Float(fans(shape).fanIn).squareRoot(), rng: &rng)
  }

  /// Xavier/Glorot uniform initialisation (Glorot & Bengio, AISTATS 2010):
  /// U(−b, b) with b = gain·√(6 / (fanIn + fanOut)).
  public static func xavierUniform(_ shape: [Int], gain: Float = 1, rng: inout RandomStream) -> Tensor {
    let f = fans(shape)
    let bound = gain * (6.0 / Float(f.fanIn + f.fanOut)).squareRoot()
    return uniform(shape, low: -bound, high: bound, rng: &rng)
  }

  /// Xavier/Glorot normal initialisation: N(0, gain²·2 / (fanIn + fanOut)).
  public static func xavierNormal(_ shape: [Int], gain: Float = 1, rng: inout RandomStream) -> Tensor {
    let f = fans(shape)
    return normal(shape, std: gain * (2.0 / Float(f.fanIn + f.fanOut)).squareRoot(), rng: &rng)
  }
}
