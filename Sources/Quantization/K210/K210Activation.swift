/// The activation fused into a K210 convolution, as nncase samples it: a clamp range (nncase's
/// `fused_activation`, which limits where the table is sampled) and a function applied to the
/// samples (a fused unary, e.g. leaky ReLU).
public enum K210Activation: Equatable, Sendable {
  /// No activation.
  case linear
  /// max(x, 0), as a clamp to [0, ∞).
  case relu
  /// min(max(x, 0), 6), as a clamp to [0, 6].
  case relu6
  /// x if x > 0 else α·x, as a fused unary.
  case leakyRelu(alpha: Float)

  /// The clamp range.
  public var clamp: ClosedRange<Float> {
    switch self {
    case .linear, .leakyRelu: return -Float.infinity...Float.infinity
    case .relu: return 0...Float.infinity
    case .relu6: return 0...6
    }
  }

  /// The function applied to the samples.
  public func callAsFunction(_ x: Float) -> Float {
    if case let .leakyRelu(alpha) = self { return x > 0 ? x : alpha * x }
    return x
  }
}
