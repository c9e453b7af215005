/// How a tensor's quantization range is chosen from the calibration data (issue #13, §3).
///
/// All methods but `minmax` pick a clip threshold T on |x| from the tensor's ``AbsHistogram``
/// and clip the observed range to [max(min, −T), min(max, T)] (see ``ClipThreshold``).
public enum CalibrationMethod: String, Codable, CaseIterable, Sendable {
  /// The observed minimum and maximum (nncase's `no_clip`).
  case minmax
  /// T = the upper edge of the first histogram bin at which the cumulative share of |x|
  /// reaches p % (pytorch-quantization's percentile rule).
  case percentile
  /// T minimising the Kullback–Leibler divergence between the clipped reference distribution
  /// and its quantized version (TensorRT's entropy calibration, Migacz 2017).
  case kld
  /// T minimising the expected squared quantization error over the histogram.
  case mse
}

/// The settings of a calibration.
public struct CalibrationSettings: Codable, Equatable, Sendable {
  /// The method.
  public var method: CalibrationMethod
  /// For `percentile`: the share of |x| kept, in percent (e.g. 99.99).
  public var percentile: Double
  /// Histogram bins (TensorRT uses 2048).
  public var bins: Int

  /// Creates settings; `percentile` must be in (0, 100].
  public init(method: CalibrationMethod = .minmax, percentile: Double = 99.99, bins: Int = 2048) {
    self.method = method
    self.percentile = percentile
    self.bins = bins
  }

  /// Checks the settings.
  /// - Throws: ``QuantizationError/invalidSetting(_:)`` with a sentence naming the bad value.
  public func validate() throws {
    guard percentile > 0, percentile <= 100 else {
      throw QuantizationError.invalidSetting("The calibration percentile must be in (0, 100], got \(percentile).")
    }
    guard bins >= 256, bins % 2 == 0 else {
      throw QuantizationError.invalidSetting(
        "The calibration histogram needs an even number of at least 256 bins, got \(bins).")
    }
  }
}
