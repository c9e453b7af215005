import Foundation

/// Asynchronous successive halving (ASHA; Li et al. 2018, "A System for Massively Parallel
/// Hyperparameter Tuning", Algorithm 2) as a pure scheduler: it decides what a free worker runs
/// next from the results reported so far, and never waits for a rung to fill.
///
/// Rung `k` trains for `minEpochs · ηᵏ` epochs, up to the largest that is at most `maxEpochs`
/// (the paper's `r·η^k`, `k ≤ ⌊log_η(R/r)⌋`). When a worker is
/// free, the scheduler looks from the highest non-top rung down for a trial in the top
/// `⌊n/η⌋` of the `n` results at its rung that has not been promoted yet, and promotes the best
/// such trial one rung up; if there is none it starts a new trial at rung 0 (until `maxTrials`
/// have started). Promotion is on the first objective. A trial that is never promoted is
/// stopped where it is and keeps its history.
public struct AshaScheduler: Sendable {
  /// What a free worker should run.
  public enum Job: Equatable, Sendable {
    /// Start trial `trial` (0, 1, 2, … in the order new trials are drawn) at rung 0.
    case start(trial: Int, epochs: Int)
    /// Continue `trial` at `rung` (train it to `epochs` in total).
    case promote(trial: Int, rung: Int, epochs: Int)
  }

  /// One reported result of a trial.
  public struct Result: Equatable, Sendable {
    public var rung: Int
    public var epochs: Int
    public var value: Double
  }

  public let minEpochs: Int
  public let maxEpochs: Int
  /// Reduction factor η: a rung promotes the top 1/η of its results.
  public let eta: Int
  public let direction: SweepSpec.Direction
  public let maxTrials: Int
  /// Epochs of each rung, ascending.
  public let rungEpochs: [Int]

  /// Each trial's results, in the order reported (a stopped trial keeps what it reached).
  public private(set) var history: [Int: [Result]] = [:]
  private var started = 0
  private var promoted: [Set<Int>]

  /// - Precondition: `1 <= minEpochs <= maxEpochs`, `eta >= 2`, `maxTrials >= 1` (the sweep
  ///   file's validation says so in words before a scheduler is made).
  public init(minEpochs: Int, maxEpochs: Int, eta: Int, direction: SweepSpec.Direction, maxTrials: Int) {
    precondition(minEpochs >= 1 && minEpochs <= maxEpochs && eta >= 2 && maxTrials >= 1)
    self.minEpochs = minEpochs
    self.maxEpochs = maxEpochs
    self.eta = eta
    self.direction = direction
    self.maxTrials = maxTrials
    var rungs = [minEpochs]
    while let last = rungs.last, last * eta <= maxEpochs { rungs.append(last * eta) }
    rungEpochs = rungs
    promoted = Array(repeating: [], count: rungs.count)
  }

  /// The next job for a free worker, or nil when nothing can run now (every trial has started
  /// and no result allows a promotion; more results may allow one).
  public mutating func next() -> Job? {
    for k in stride(from: rungEpochs.count - 2, through: 0, by: -1) {
      let atRung = results(rung: k)
      let top = atRung.prefix(atRung.count / eta)
      // a failed result (NaN) ranks last and is never promoted
      if let best = top.first(where: { !promoted[k].contains($0.trial) && !$0.value.isNaN }) {
        promoted[k].insert(best.trial)
        return .promote(trial: best.trial, rung: k + 1, epochs: rungEpochs[k + 1])
      }
    }
    guard started < maxTrials else { return nil }
    started += 1
    return .start(trial: started - 1, epochs: rungEpochs[0])
  }

  /// Records `trial`'s objective after training it to the epochs of `rung`.
  public mutating func report(trial: Int, rung: Int, value: Double) {
    history[trial, default: []].append(Result(rung: rung, epochs: rungEpochs[rung], value: value))
  }

  /// Trials with a result at `rung`, best first (ties: the lower trial number; NaN last).
  public func results(rung: Int) -> [(trial: Int, value: Double)] {
    let rows = history.compactMap { t, rs in rs.last(where: { $0.rung == rung }).map { (trial: t, value: $0.value) } }
    return rows.sorted { a, b in
      if a.value.isNaN != b.value.isNaN { return b.value.isNaN }
      if a.value != b.value { return direction == .max ? a.value > b.value : a.value < b.value }
      return a.trial < b.trial
    }
  }

  /// The highest rung `trial` reached, or nil if it has no result.
  public func rung(of trial: Int) -> Int? { history[trial]?.map(\.rung).max() }
}
