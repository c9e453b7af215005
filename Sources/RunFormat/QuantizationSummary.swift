/// `stages/quantize/quantization.json`: how each tensor of the quantized model maps to
/// integers, what calibration saw, and how far the scheme's integer executor lands from float
/// on the calibration images (each executor fed its own outputs, so errors accumulate as on the
/// device).
public struct QuantizationSummary: Codable, Equatable, Sendable {
  /// One quantized tensor (an activation, or a layer's weights).
  public struct Tensor: Codable, Equatable, Sendable {
    /// The value or parameter name.
    public var name: String
    /// `activation` or `weight`.
    public var kind: String
    /// The integer type (`uint8`, `int8`, `int16`, …).
    public var elementType: String
    /// One scale per tensor, or per output channel.
    public var scales: [Double]
    /// One zero point per scale.
    public var zeroPoints: [Int]
    /// For power-of-two formats: the fractional bits (scale = 2⁻ⁿ).
    public var fractionalBits: Int?
    /// The observed [min, max] on the calibration images (activations).
    public var observed: [Double]?
    /// The range the calibration method chose (activations).
    public var chosen: [Double]?
    /// Histogram of |x| (activations): `counts.count` bins over [0, histogramMax].
    public var histogramMax: Double?
    /// Bin counts of the histogram.
    public var histogram: [Int]?
    /// Signal-to-quantization-noise ratio in dB (nil: exact, or an all-zero signal).
    public var sqnr: Double?
    /// Cosine similarity of integer-executor and float values.
    public var cosine: Double?
    /// Largest |float − integer executor| over the calibration images.
    public var maxAbsError: Double?

    /// Creates a record.
    public init(
      name: String, kind: String, elementType: String, scales: [Double], zeroPoints: [Int], fractionalBits: Int?
    ) {
      (self.name, self.kind, self.elementType) = (name, kind, elementType)
      (self.scales, self.zeroPoints, self.fractionalBits) = (scales, zeroPoints, fractionalBits)
    }
  }

  /// The scheme's name.
  public var scheme: String
  /// The calibration method, its percentile (for `percentile`) and the number of images.
  public var method: String, percentile: Double, images: Int
  /// Every quantized tensor, in graph order.
  public var tensors: [Tensor]
  /// The passes applied before quantization (e.g. cross-layer equalisation), in order.
  public var passes: [String]

  /// Creates a summary.
  public init(scheme: String, method: String, percentile: Double, images: Int, tensors: [Tensor], passes: [String]) {
    (self.scheme, self.method, self.percentile, self.images) = (scheme, method, percentile, images)
    (self.tensors, self.passes) = (tensors, passes)
  }

  /// The activations with an SQNR, worst first.
  public func worst(_ count: Int) -> [Tensor] {
    Array(
      tensors.filter { $0.kind == "activation" && $0.sqnr != nil }.sorted {
        ($0.sqnr ?? .infinity) < ($1.sqnr ?? .infinity)
      }.prefix(count))
  }
}
