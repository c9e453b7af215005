/// Time of one KPU layer, fitted on published measurements (`k210.md` §8):
///
///     t = max(weight bytes / B, c0 + MACs / (576 · f · η))
///
/// 576 multiply-accumulates per cycle is the KPU's peak (64 pixels × 9 taps; 230.4 GMAC/s at
/// 400 MHz). The compute term's `c0` (fixed cost per layer) and `η` (efficiency) are fitted by
/// least squares on relative error; the floor is the layer's weight loading, whose bandwidth
/// `B` is fitted on the maps too small for compute to dominate. Times scale with the KPU clock
/// (cycle counts are assumed constant).
public struct K210Timing: Codable, Equatable, Sendable {
  /// One measurement: a 3×3 convolution of `channels` → `channels` on a `width` × `height`
  /// map, with `weightBits`-bit weights, at `clockMHz`, taking `milliseconds`.
  public struct Measurement: Codable, Equatable, Sendable {
    public var width: Int, height: Int, channels: Int, weightBits: Int, clockMHz: Double, milliseconds: Double

    /// Multiply-accumulates of the layer.
    public var macs: Double { Double(width * height * channels * channels * 9) }
    /// Bytes of weights loaded.
    public var weightBytes: Double { Double(channels * channels * 9 * weightBits / 8) }
  }

  /// Sipeed's microbenchmark (bbs.sipeed.com topic 691, "MAIX performance and limit for AI
  /// models"): conv 3×3, 128 → 128 channels, 16-bit weights, KPU at 300 MHz.
  public static let sipeed: [Measurement] = [
    (4, 4, 0.339), (16, 4, 0.339), (16, 16, 0.417), (32, 16, 0.692), (32, 32, 1.138), (64, 32, 2.125),
    (64, 64, 3.891), (128, 64, 7.709), (128, 128, 14.778), (256, 256, 57.756),
  ].map { Measurement(width: $0.0, height: $0.1, channels: 128, weightBits: 16, clockMHz: 300, milliseconds: $0.2) }

  /// Fixed cost per layer at the calibration clock, in milliseconds.
  public var c0: Double
  /// Fraction of the 576 MAC/cycle peak reached.
  public var efficiency: Double
  /// Weight-loading bandwidth at the calibration clock, bytes per millisecond.
  public var loadBytesPerMs: Double
  /// The clock the fit was made at.
  public var calibrationMHz: Double

  /// Fits the model on `data` (all at one clock): the compute term on maps of at least
  /// `minPixels` pixels, the loading floor on the smaller ones.
  public init(fitting data: [Measurement] = K210Timing.sipeed, minPixels: Int = 256) {
    let big = data.filter { $0.width * $0.height >= minPixels }
    let small = data.filter { $0.width * $0.height < minPixels }
    let clock = data.first?.clockMHz ?? 400
    // t = c0 + a·MACs, least squares on t/t_measured − 1: weights 1/t².
    var (s00, s01, s11, r0, r1) = (0.0, 0.0, 0.0, 0.0, 0.0)
    for m in big {
      let w = 1 / (m.milliseconds * m.milliseconds)
      s00 += w
      s01 += w * m.macs
      s11 += w * m.macs * m.macs
      r0 += w * m.milliseconds
      r1 += w * m.macs * m.milliseconds
    }
    let det = s00 * s11 - s01 * s01
    let c0 = det != 0 ? (r0 * s11 - r1 * s01) / det : 0
    let a = det != 0 ? (s00 * r1 - s01 * r0) / det : 1 / (576 * clock * 1e3)
    self.c0 = c0
    self.efficiency = 1 / (a * 576 * clock * 1e3)
    let floors = small.map { $0.weightBytes / $0.milliseconds }
    self.loadBytesPerMs = floors.isEmpty ? .infinity : floors.reduce(0, +) / Double(floors.count)
    self.calibrationMHz = clock
  }

  /// Milliseconds of a KPU layer with `macs` multiply-accumulates and `weightBytes` of weights
  /// at `clockMHz`.
  public func milliseconds(macs: Double, weightBytes: Double, clockMHz: Double = 400) -> Double {
    let scale = calibrationMHz / clockMHz
    let compute = c0 * scale + macs / (576 * clockMHz * 1e3 * efficiency)
    return max(weightBytes / loadBytesPerMs * scale, compute)
  }

  /// Relative error of the model on each measurement (predicted / measured − 1).
  public func residuals(_ data: [Measurement] = K210Timing.sipeed) -> [Double] {
    data.map { milliseconds(macs: $0.macs, weightBytes: $0.weightBytes, clockMHz: $0.clockMHz) / $0.milliseconds - 1 }
  }
}
