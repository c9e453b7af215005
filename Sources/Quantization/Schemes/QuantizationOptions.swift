/// Scheme-independent options of a quantization (the `quantize` section's `per_channel`,
/// `bits` and `layers` settings). A scheme that cannot honour an option says so with
/// ``QuantizationError/invalidSetting(_:)`` instead of ignoring it.
///
/// Decoding defaults every missing key, so options written before a field existed still read.
public struct QuantizationOptions: Codable, Equatable, Sendable {
  /// Weights get one scale per output channel (true) or one per tensor. `gap8-pow2` weights
  /// have one Q format per layer whatever this says (neither gap_quantization nor NNTool's POW2
  /// has a per-channel mode; `gap8.md` §3.1, §4.2).
  public var perChannel: Bool
  /// The default bit width of activations and weights (nil: the scheme's own, e.g. 8 for `int8`
  /// and `k210`, 16 for `gap8-pow2`).
  public var bits: Int?
  /// Per-node bit-width overrides (mixed precision), by conv/dense node name.
  public var layerBits: [String: Int]
  /// `gap8-pow2` only: convolutions accumulate every input channel in 32 bits and normalize
  /// once (AutoTiler's `KOP_CONV_DP`) instead of rounding and clipping to the output width
  /// after each input channel (`KOP_CONV`, the default; `gap8.md` §4.6). Other schemes have a
  /// single accumulation anyway and reject `true`.
  public var doublePrecision: Bool

  /// Creates options.
  public init(perChannel: Bool = true, bits: Int? = nil, layerBits: [String: Int] = [:], doublePrecision: Bool = false)
  {
    self.perChannel = perChannel
    self.bits = bits
    self.layerBits = layerBits
    self.doublePrecision = doublePrecision
  }

  private enum CodingKeys: String, CodingKey { case perChannel, bits, layerBits, doublePrecision }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    perChannel = try c.decodeIfPresent(Bool.self, forKey: .perChannel) ?? true
    bits = try c.decodeIfPresent(Int.self, forKey: .bits)
    layerBits = try c.decodeIfPresent([String: Int].self, forKey: .layerBits) ?? [:]
    doublePrecision = try c.decodeIfPresent(Bool.self, forKey: .doublePrecision) ?? false
  }
}
