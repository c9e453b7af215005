/// How much to prune: what ``PruningPlanner/plan(_:)`` turns into channel counts per group.
public enum PruningTarget: Codable, Equatable, Sendable {
  /// The same ratio of channels removed from every prunable group (Li et al. 2017 prune
  /// layers by ratios; this is their uniform case).
  case ratio(Double)
  /// A ratio per group id (or per producer node name), `default` for the groups not listed.
  case ratios([String: Double], default: Double)
  /// At most this many trainable parameters (``CostReport/totalParameters``): the smallest
  /// uniform ratio that meets it.
  case parameters(Int)
  /// At most this many multiply-accumulates per sample (``CostReport/totalMACs``): the smallest
  /// uniform ratio that meets it.
  case macs(Int)
}

/// The outcome of planning: the ratio asked of each prunable group and the channels it keeps.
public struct PruningPlan: Codable, Equatable, Sendable {
  /// The ratio applied to each prunable group (before rounding), by group id.
  public var ratios: [String: Double]
  /// The kept channel indices of each prunable group (ascending), by group id, for
  /// ``ChannelPruning/prune(_:keep:groups:)``.
  public var keep: [String: [Int]]

  /// Creates a plan.
  public init(ratios: [String: Double], keep: [String: [Int]]) {
    self.ratios = ratios
    self.keep = keep
  }
}

/// The number of channels kept when `ratio` of `original` channels is removed, rounded to a
/// multiple of `roundTo` (what accelerators prefer: the KPU and GAP8 kernels work on channel
/// blocks) and never more than the `current` channels nor fewer than one.
///
///     kept = min(current, max(1, roundTo · round(original · (1 − ratio) / roundTo)))
///
/// with at least `roundTo` channels when rounding would give 0 (so a 16-channel group pruned by
/// 0.9 with `roundTo` 8 keeps 8, and a 6-channel group with `roundTo` 8 is never pruned).
public func keptChannelCount(original: Int, current: Int? = nil, ratio: Double, roundTo: Int = 1) -> Int {
  let step = max(1, roundTo)
  let wanted = Double(original) * (1 - ratio) / Double(step)
  let rounded = step * max(1, Int(wanted.rounded()))
  return max(1, min(current ?? original, rounded))
}
