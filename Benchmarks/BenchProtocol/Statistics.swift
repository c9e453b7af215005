/// The median of `xs` (mean of the middle two for an even count); NaN for none.
public func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  guard !s.isEmpty else { return .nan }
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

/// Best and median of one side's rates over the rounds. On a shared machine interference only
/// slows a run down, so the best round is the closest to the side's true speed; the median
/// shows how much the rounds spread.
public struct RateSummary: Equatable, Sendable {
  public var best: Double
  public var median: Double
  public var count: Int

  /// The summary of `rates` (images per second, higher is better).
  public init(_ rates: [Double]) {
    best = rates.max() ?? .nan
    median = BenchProtocol.median(rates)
    count = rates.count
  }
}
