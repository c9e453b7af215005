import Graph

/// How one tensor's real values map to integers: `real = scale · (q − zeroPoint)`, with `q`
/// clamped to the range of ``elementType``.
///
/// Three forms share this type (one entry of a ``QuantizationTable``):
/// - **per-tensor affine**: one scale and zero point (activations: uint8 asymmetric);
/// - **per-channel affine**: one scale and zero point per slice along ``axis`` (conv and dense
///   weights: axis 0, the output channel; their int32 biases);
/// - **power of two**: ``fractionalBits`` = n, scale 2⁻ⁿ, zero point 0 (the Qm.n formats of
///   GAP8's `pow2` scheme).
///
/// Rounding when quantizing affine formats is half away from zero (`Float.rounded()`, the
/// TFLite reference convention); power-of-two formats round half up, ⌊x·2ⁿ + ½⌋, as
/// xperience-ai/gap_quantization integerizes and AutoTiler's `AT_NORM` rounds (`gap8.md` §3.1,
/// §4.6). Schemes that round differently (K210's banker rounding) do so in their own
/// arithmetic, not here.
public struct TensorQuantization: Codable, Equatable, Sendable {
  /// The integer type the values are stored in.
  public var elementType: Parameter.ElementType
  /// One scale per tensor, or one per channel along ``axis``.
  public var scales: [Double]
  /// One zero point per scale.
  public var zeroPoints: [Int]
  /// The channel axis of a per-channel quantization (nil for per-tensor).
  public var axis: Int?
  /// For power-of-two formats, the number of fractional bits n (scale = 2⁻ⁿ); nil otherwise.
  public var fractionalBits: Int?

  /// Per-tensor affine quantization.
  public init(scale: Double, zeroPoint: Int, elementType: Parameter.ElementType) {
    precondition(scale > 0 && scale.isFinite, "TensorQuantization: scale must be positive and finite, got \(scale)")
    self.elementType = elementType
    scales = [scale]
    zeroPoints = [zeroPoint]
    axis = nil
    fractionalBits = nil
  }

  /// Per-channel affine quantization along `axis`.
  public init(scales: [Double], zeroPoints: [Int], axis: Int, elementType: Parameter.ElementType) {
    precondition(scales.count == zeroPoints.count && !scales.isEmpty, "TensorQuantization: one zero point per scale")
    precondition(scales.allSatisfy { $0 > 0 && $0.isFinite }, "TensorQuantization: scales must be positive and finite")
    self.elementType = elementType
    self.scales = scales
    self.zeroPoints = zeroPoints
    self.axis = axis
    fractionalBits = nil
  }

  /// A power-of-two (Qm.n) format with `fractionalBits` = n.
  public init(fractionalBits: Int, elementType: Parameter.ElementType) {
    self.elementType = elementType
    scales = [Double.pow2(-fractionalBits)]
    zeroPoints = [0]
    axis = nil
    self.fractionalBits = fractionalBits
  }

  /// Whether the tensor has one scale per channel.
  public var isPerChannel: Bool { axis != nil }
  /// The per-tensor scale (the first one for per-channel quantization).
  public var scale: Double { scales[0] }
  /// The per-tensor zero point (the first one for per-channel quantization).
  public var zeroPoint: Int { zeroPoints[0] }

  /// The smallest and largest stored integer.
  public var range: ClosedRange<Int> { elementType.integerRange }

  /// Quantizes one value of channel `channel`: round(x / scale) + zeroPoint, clamped (ties away
  /// from zero; ties up, ⌊x·2ⁿ + ½⌋, for power-of-two formats).
  @inline(__always)
  public func quantize(_ x: Float, channel: Int = 0) -> Int {
    let scaled = Double(x) / scales[channel]
    let q = (fractionalBits == nil ? scaled.rounded() : (scaled + 0.5).rounded(.down)) + Double(zeroPoints[channel])
    let r = range
    guard q.isFinite else { return q > 0 ? r.upperBound : r.lowerBound }
    return Int(min(max(q, Double(r.lowerBound)), Double(r.upperBound)))
  }

  /// The real value of the integer `q` of channel `channel`.
  @inline(__always)
  public func dequantize(_ q: Int, channel: Int = 0) -> Float {
    Float(scales[channel] * Double(q - zeroPoints[channel]))
  }

  /// The channel of flat element `index` in a tensor of `shape` (0 for per-tensor).
  public func channel(ofFlatIndex index: Int, shape: [Int]) -> Int {
    guard let axis else { return 0 }
    let inner = shape[(axis + 1)...].reduce(1, *)
    return (index / inner) % shape[axis]
  }
}

extension Parameter.ElementType {
  /// The representable integers (float32 has none; it reports Int32's range).
  public var integerRange: ClosedRange<Int> {
    switch self {
    case .int8: return -128...127
    case .uint8: return 0...255
    case .int16: return -32768...32767
    case .int32, .float32: return Int(Int32.min)...Int(Int32.max)
    }
  }
}

extension Double {
  /// 2ⁿ for an integer n.
  static func pow2(_ n: Int) -> Double { Double(sign: .plus, exponent: n, significand: 1) }
}
