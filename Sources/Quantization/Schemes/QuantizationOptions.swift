/// Scheme-independent options of a quantization (the `quantize` section's `per_channel`,
/// `bits` and `layers` settings). A scheme that cannot honour an option says so with
/// ``QuantizationError/invalidSetting(_:)`` instead of ignoring it.
public struct QuantizationOptions: Codable, Equatable, Sendable {
  /// Weights get one scale per output channel (true) or one per tensor.
  public var perChannel: Bool
  /// The default bit width of activations and weights (nil: the scheme's own, e.g. 8 for `int8`
  /// and `k210`, 16 for `gap8-pow2`).
  public var bits: Int?
  /// Per-node bit-width overrides (mixed precision), by conv/dense node name.
  public var layerBits: [String: Int]

  /// Creates options.
  public init(perChannel: Bool = true, bits: Int? = nil, layerBits: [String: Int] = [:]) {
    self.perChannel = perChannel
    self.bits = bits
    self.layerBits = layerBits
  }
}
