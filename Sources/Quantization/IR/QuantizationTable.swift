/// The target arithmetic a quantized model follows (issue #13, "Schemes").
public enum QuantizationScheme: String, Codable, CaseIterable, Sendable {
  /// Generic ONNX/TFLite convention: per-channel symmetric int8 weights (±127), asymmetric uint8
  /// activations, int32 biases with scale s_in·s_w, fixed-point multiplier requantization.
  case int8
  /// Kendryte K210 KPU as nncase 1.9 quantizes it (``K210Quantizer``).
  case k210
  /// GAP8 power-of-two fixed point (Qm.n int16, optionally int8 or mixed) as
  /// xperience-ai/gap_quantization quantizes and AutoTiler's 16-bit kernels compute
  /// (``Pow2Quantizer``).
  case gap8Pow2 = "gap8-pow2"
  /// GAP8 scaled int8 as GreenWaves NNTool's SQ8 quantizes and AutoTiler's SQ8 kernels compute
  /// (``SQ8Quantizer``).
  case gap8Sq8 = "gap8-sq8"
}

/// The side table of a quantized model: for each quantized tensor, keyed by name, how its
/// real values map to integers. Values use their value name (`"conv1"`), parameters their
/// parameter name (`"conv1.weight"`, `"conv1.bias"`). The graph's ops are unchanged: the same
/// graph evaluates in float, fake-quant or integer arithmetic depending on the executor.
///
/// A value that is absent is not materialised as integers: e.g. a convolution output that a
/// fused ReLU reads (the convolution requantizes straight into the ReLU's output format, see
/// ``QuantizedModel/fusedActivations``).
public struct QuantizationTable: Codable, Equatable, Sendable {
  /// The format version written by this build.
  public static let currentVersion = 1
  /// The format version.
  public var version: Int
  /// The scheme whose arithmetic the integers follow.
  public var scheme: QuantizationScheme
  /// Quantization of each tensor, by value or parameter name.
  public var tensors: [String: TensorQuantization]

  /// Creates a table.
  public init(scheme: QuantizationScheme, tensors: [String: TensorQuantization] = [:]) {
    version = Self.currentVersion
    self.scheme = scheme
    self.tensors = tensors
  }

  /// The quantization of `name`, if it is quantized.
  public subscript(name: String) -> TensorQuantization? {
    get { tensors[name] }
    set { tensors[name] = newValue }
  }
}
