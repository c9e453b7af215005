/// A histogram of |x| over [0, binWidth · counts.count), for the clip-threshold searches
/// (TensorRT's entropy calibration and pytorch-quantization's histogram calibrator use |x|).
///
/// Bin i holds |x| ∈ [i·w, (i+1)·w); values at or beyond the top edge fall into the last bin.
/// The first batch sets w = max|x| / bins; when a later value exceeds the range, w doubles
/// (adjacent bins merge pairwise) until it fits, so counts stay exact and the result does not
/// depend on how the data was split into batches beyond where the range was first set.
/// Non-finite values are not counted.
public struct AbsHistogram: Codable, Equatable, Sendable {
  /// The width of one bin (0 until a non-zero value was seen).
  public private(set) var binWidth: Double
  /// The count of each bin.
  public private(set) var counts: [Int]

  /// An empty histogram with `bins` bins.
  public init(bins: Int = 2048) {
    precondition(bins >= 2 && bins % 2 == 0, "AbsHistogram: an even number of bins ≥ 2 is required")
    binWidth = 0
    counts = [Int](repeating: 0, count: bins)
  }

  /// Number of values recorded.
  public var total: Int { counts.reduce(0, +) }

  /// The upper edge of bin `i` (the threshold "keep bins 0..<i+1").
  public func edge(_ i: Int) -> Double { Double(i) * binWidth }

  /// Records `values`.
  public mutating func add(_ values: [Float]) {
    var amax: Float = 0
    for v in values where v.isFinite { amax = max(amax, abs(v)) }
    let bins = counts.count
    if binWidth == 0 {
      if amax == 0 {
        counts[0] += values.filter(\.isFinite).count
        return
      }
      binWidth = Double(amax) / Double(bins)
    }
    while Double(amax) > binWidth * Double(bins) { widen() }
    let width = binWidth
    counts.withUnsafeMutableBufferPointer { c in
      for v in values where v.isFinite {
        let i = Int(Double(abs(v)) / width)
        c[min(i, bins - 1)] += 1
      }
    }
  }

  /// Doubles the bin width, merging bins pairwise (the top half becomes empty).
  private mutating func widen() {
    let bins = counts.count
    var merged = [Int](repeating: 0, count: bins)
    for i in 0..<(bins / 2) { merged[i] = counts[2 * i] + counts[2 * i + 1] }
    counts = merged
    binWidth *= 2
  }
}
