/// The activation fused into a K210 convolution, as nncase samples it: a clamp range (nncase's
/// `fused_activation`, which limits where the table is sampled) and a function applied to the
/// samples (a fused unary, e.g. leaky ReLU).
public enum K210Activation: Equatable, Sendable {
  /// No activation.
  case linear
  /// max(x, 0) as a fused unary, sampled over the whole pre-activation range: nncase 1.9 imports
  /// an ONNX `Relu` as a binary max with 0, not as a clamp of the convolution, so its table starts
  /// below 0 (a segment outputting the zero point, one across 0, then the line). With a clamp to
  /// [0, ∞) 3–8 % of the output codes differed by 1 from `nncase.Simulator`; with the unary they
  /// are bit-exact (Tests/KModelTests/NNCaseCrossCheckTests).
  case relu
  /// min(max(x, 0), 6), as a clamp to [0, 6] (not checked against nncase).
  case relu6
  /// x if x > 0 else α·x, as a fused unary.
  case leakyRelu(alpha: Float)

  /// The clamp range.
  public var clamp: ClosedRange<Float> {
    switch self {
    case .linear, .leakyRelu, .relu: return -Float.infinity...Float.infinity
    case .relu6: return 0...6
    }
  }

  /// The function applied to the samples.
  public func callAsFunction(_ x: Float) -> Float {
    switch self {
    case let .leakyRelu(alpha): return x > 0 ? x : alpha * x
    case .relu: return max(x, 0)
    case .linear, .relu6: return x
    }
  }
}
