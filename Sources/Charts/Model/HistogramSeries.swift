/// A histogram: counts over bins given by their edges.
public struct HistogramSeries: Sendable {
  /// The legend label.
  public var name: String
  /// Bin edges, ascending, one more than `counts`.
  public var edges: [Double]
  /// Count (or density) per bin.
  public var counts: [Double]

  /// Creates a histogram from precomputed bins.
  public init(name: String, edges: [Double], counts: [Double]) {
    self.name = name
    self.edges = edges
    self.counts = counts
  }

  /// Bins `values` into `bins` equal-width bins over `range` (the values' extent when `nil`).
  ///
  /// A bin is closed on the left and open on the right, except the last, which also holds the
  /// upper edge (numpy's `histogram`). Non-finite values and values outside the range are
  /// dropped.
  public init(name: String, values: [Double], bins: Int, range: ClosedRange<Double>? = nil) {
    let finite = values.filter(\.isFinite)
    let bins = max(bins, 1)
    var lower = range?.lowerBound ?? finite.min() ?? 0
    var upper = range?.upperBound ?? finite.max() ?? 1
    if upper <= lower {
      lower -= 0.5
      upper += 0.5
    }
    let width = (upper - lower) / Double(bins)
    var counts = [Double](repeating: 0, count: bins)
    for v in finite where v >= lower && v <= upper {
      counts[min(Int((v - lower) / width), bins - 1)] += 1
    }
    self.name = name
    self.edges = (0...bins).map { lower + Double($0) * width }
    self.counts = counts
  }
}
