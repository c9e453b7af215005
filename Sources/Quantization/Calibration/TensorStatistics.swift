/// What calibration records about one tensor: its extremes and the histogram of |x|.
public struct TensorStatistics: Codable, Equatable, Sendable {
  /// The smallest value seen.
  public var min: Float
  /// The largest value seen.
  public var max: Float
  /// The histogram of |x| (kept for the threshold searches and for plotting).
  public var histogram: AbsHistogram

  /// Empty statistics.
  public init(bins: Int = 2048) {
    min = .infinity
    max = -.infinity
    histogram = AbsHistogram(bins: bins)
  }

  /// Records `values` (non-finite ones are skipped).
  public mutating func add(_ values: [Float]) {
    for v in values where v.isFinite {
      min = Swift.min(min, v)
      max = Swift.max(max, v)
    }
    histogram.add(values)
  }

  /// The range chosen by `settings`: [min, max] for `minmax`, otherwise the observed range
  /// clipped to [−T, T] with T from ``ClipThreshold`` (the step count follows the sign: a
  /// non-negative tensor spends all 256 uint8 codes on [0, T]).
  public func range(_ settings: CalibrationSettings) -> ClosedRange<Float> {
    guard min <= max else { return 0...0 }
    let nonNegative = min >= 0
    let t: Double
    switch settings.method {
    case .minmax: return min...max
    case .percentile: t = ClipThreshold.percentile(histogram, percent: settings.percentile)
    case .kld: t = ClipThreshold.kld(histogram, quantBins: nonNegative ? 256 : 128)
    case .mse: t = ClipThreshold.mse(histogram, levels: nonNegative ? 255 : 127.5)
    }
    let lo = Swift.max(min, -Float(t)), hi = Swift.min(max, Float(t))
    return lo <= hi ? lo...hi : min...max
  }
}
