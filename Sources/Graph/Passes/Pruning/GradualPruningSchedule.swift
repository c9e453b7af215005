/// The automated gradual pruning schedule of Zhu & Gupta, "To prune, or not to prune:
/// exploring the efficacy of pruning for model compression", ICLR Workshop 2018 (arXiv 2017),
/// eq. (1): starting at step t₀, pruning every Δt steps n times, the sparsity (here: the ratio of
/// channels removed) at step t is
///
///     s_t = s_f + (s_i − s_f) · (1 − (t − t₀) / (n·Δt))³     for t₀ ≤ t ≤ t₀ + n·Δt,
///
/// s_i before t₀ and s_f after. It prunes fast while the network is redundant and slowly as the
/// target nears, fine-tuning between pruning steps. Steps are whatever the caller counts
/// (epochs in the compress stage).
public struct GradualPruningSchedule: Codable, Equatable, Sendable {
  /// s_i, the ratio at the first pruning step (usually 0).
  public var initialRatio: Double
  /// s_f, the final ratio.
  public var finalRatio: Double
  /// t₀, the step of the first pruning.
  public var start: Int
  /// n, the number of pruning steps after the first.
  public var steps: Int
  /// Δt, steps between prunings.
  public var frequency: Int

  /// Creates a schedule; `steps` and `frequency` are at least 1.
  public init(initialRatio: Double = 0, finalRatio: Double, start: Int = 0, steps: Int, frequency: Int = 1) {
    self.initialRatio = initialRatio
    self.finalRatio = finalRatio
    self.start = start
    self.steps = max(1, steps)
    self.frequency = max(1, frequency)
  }

  /// The last step at which the schedule prunes, t₀ + n·Δt.
  public var end: Int { start + steps * frequency }

  /// s_t, the ratio the model should have at step `t`.
  public func ratio(at t: Int) -> Double {
    if t <= start { return initialRatio }
    if t >= end { return finalRatio }
    let progress = 1 - Double(t - start) / Double(steps * frequency)
    return finalRatio + (initialRatio - finalRatio) * progress * progress * progress
  }

  /// The steps at which the schedule prunes (t₀, t₀ + Δt, …, t₀ + n·Δt) with the ratio of each.
  public var pruningSteps: [(step: Int, ratio: Double)] {
    (0...steps).map { k in (start + k * frequency, ratio(at: start + k * frequency)) }
  }
}
