import Foundation

/// When a comparison may be stated: every measurement window must have seen at most
/// `maxOtherCores` of other load (other processes plus steal). Under contention the two sides do
/// not slow down alike (PyTorch's OpenMP threads spin and collapse far more than ours), so a
/// ratio from a loaded round measures contention, not speed.
public struct LoadPolicy: Equatable, Sendable {
  public var maxOtherCores: Double

  public init(maxOtherCores: Double = 0.25) { self.maxOtherCores = maxOtherCores }

  /// The verdict on a comparison whose windows saw `loads`.
  public func verdict(_ loads: [WindowLoad]) -> LoadVerdict {
    let loaded = loads.filter { $0.contention > maxOtherCores }
    return LoadVerdict(
      windows: loads.count, loadedWindows: loaded.count, worst: loads.map(\.contention).max() ?? 0,
      threshold: maxOtherCores)
  }
}

/// Whether a ratio may be printed as a verdict, and if not, the sentence that says why.
public struct LoadVerdict: Equatable, Sendable {
  public var windows: Int
  public var loadedWindows: Int
  /// The largest other load (cores) of any window.
  public var worst: Double
  public var threshold: Double

  public var reliable: Bool { windows > 0 && loadedWindows == 0 }

  /// Nil when reliable; otherwise why no ratio is stated.
  public var reason: String? {
    if windows == 0 { return "nothing was measured" }
    if reliable { return nil }
    return String(
      format:
        "other processes used more than %.2f core in %d of %d measurements (up to %.2f cores), so the ratio would measure contention, not speed; rerun on a quiet machine",
      threshold, loadedWindows, windows, worst)
  }
}
