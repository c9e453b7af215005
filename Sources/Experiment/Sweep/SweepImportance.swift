import Foundation
import Support

/// Hyperparameter importance of a sweep: for each objective, the share of its variance over
/// the finished trials that each parameter's main effect (its marginal: the mean objective at
/// each of its levels) explains, as in the first-order terms of functional ANOVA (Hutter et al.,
/// "An Efficient Approach for Assessing Hyperparameter Importance", ICML 2014).
///
/// The share of parameter p is Σₗ (nₗ/N)(ȳₗ − ȳ)² / ((1/N) Σᵢ (yᵢ − ȳ)²) over its levels l
/// (the correlation ratio η²). On a complete grid (every combination once) the levels are
/// balanced, so this is exactly the variance of p's marginal over the uniform measure on the
/// grid, the shares of an additive objective sum to 1 and what they leave is the interactions.
/// On random samples (or a grid with failed trials) it is an estimate: continuous parameters
/// are cut into equal-count bins, and noise alone gives about (levels − 1)/(N − 1).
public struct SweepImportance: Sendable, Equatable {
  /// How the shares were computed.
  public enum Method: Sendable, Equatable {
    /// Every combination of the grid finished once: the exact main-effect decomposition.
    case completeGrid
    /// A grid with missing combinations: the same formula, now an estimate.
    case incompleteGrid
    /// Random draws; continuous parameters in `bins` equal-count bins.
    case sampled(bins: Int)
  }

  /// One level of a parameter: a listed value or a bin of a continuous range.
  public struct Level: Sendable, Equatable {
    /// The value, or `lo–hi` for a bin.
    public var label: String
    /// The median parameter value of the level's trials (nil for non-numeric values).
    public var center: Double?
    public var count: Int
    /// Objective metric → mean over the level's trials.
    public var means: [String: Double]
  }

  /// One parameter's levels and shares.
  public struct Parameter: Sendable, Equatable {
    public var path: String
    public var axis: SweepResults.SpaceAxis
    public var levels: [Level]
    /// Objective metric → share of that objective's variance (nil when the objective is constant).
    public var shares: [String: Double?]
  }

  public var method: Method
  /// The trials analysed: succeeded, with every objective finite.
  public var trials: Int
  public var parameters: [Parameter]
  /// Objective metric → the sum of the parameters' shares (1 − the interactions and noise).
  public var explained: [String: Double?]

  /// One sentence on how the shares were computed, for the report.
  public var methodSentence: String {
    switch method {
    case .completeGrid:
      return "Exact main-effect variance decomposition over the complete grid of \(trials) trials: "
        + "each share is the variance of the objective's mean at each level of the parameter divided by "
        + "the objective's total variance; what the shares leave is interactions between parameters."
    case .incompleteGrid:
      return "Main-effect variance shares over the \(trials) grid trials that finished. The grid is "
        + "incomplete, so these are estimates, not an exact decomposition."
    case .sampled(let bins):
      return "Estimated from \(trials) random trials: the correlation ratio η² of each parameter, continuous "
        + "parameters cut into \(bins) equal-count bins. Noise alone gives about (levels − 1)/(trials − 1), "
        + "so small shares are not evidence of an effect."
    }
  }

  /// The importance of every swept parameter for every objective of `r`, or nil when nothing was
  /// swept or fewer than two trials finished with all objectives.
  public static func compute(_ r: SweepResults) -> SweepImportance? {
    let done = r.trials.filter { t in
      t.status == "succeeded" && r.objectives.allSatisfy { t.objectives[$0.metric]?.isFinite == true }
    }
    guard done.count >= 2, !r.objectives.isEmpty, !r.parameterPaths.isEmpty else { return nil }
    let bins = min(max(Int(Double(done.count).squareRoot()), 2), 5)
    var parameters: [Parameter] = []
    var assignments: [[Int]] = []
    for path in r.parameterPaths {
      let axis = r.axis(path)
      let values = done.map { $0.settings[path] ?? .null }
      let (levelOf, labels) =
        axis.kind == .values ? listedLevels(values, order: axis.values ?? []) : binnedLevels(values, bins: bins)
      assignments.append(levelOf)
      var levels: [Level] = []
      for (l, label) in labels.enumerated() {
        let members = done.indices.filter { levelOf[$0] == l }
        let numbers = members.compactMap { values[$0].doubleValue }.sorted()
        let center = numbers.isEmpty ? nil : (numbers[(numbers.count - 1) / 2] + numbers[numbers.count / 2]) / 2
        var means: [String: Double] = [:]
        for o in r.objectives {
          means[o.metric] = members.map { done[$0].objectives[o.metric] ?? 0 }.reduce(0, +) / Double(members.count)
        }
        levels.append(Level(label: label, center: center, count: members.count, means: means))
      }
      parameters.append(Parameter(path: path, axis: axis, levels: levels, shares: [:]))
    }
    var explained: [String: Double?] = [:]
    for o in r.objectives {
      let y = done.map { $0.objectives[o.metric] ?? 0 }
      let s = shares(levels: assignments, y: y)
      for k in parameters.indices { parameters[k].shares[o.metric] = s[k] }
      let known = s.compactMap { $0 }
      explained[o.metric] = known.count == s.count ? known.reduce(0, +) : nil
    }
    let grid = r.search == "grid"
    let combos = Set(assignments.isEmpty ? [] : done.indices.map { i in assignments.map { $0[i] } })
    let full = parameters.map { $0.axis.values?.count ?? 0 }.reduce(1, *)
    let complete = grid && combos.count == done.count && done.count == full
    let method: Method = complete ? .completeGrid : grid ? .incompleteGrid : .sampled(bins: bins)
    return SweepImportance(method: method, trials: done.count, parameters: parameters, explained: explained)
  }

  /// For each parameter (its trials' level indices), the share of the variance of `y` its level
  /// means explain: Σₗ (nₗ/N)(ȳₗ − ȳ)² / ((1/N) Σᵢ (yᵢ − ȳ)²); nil when `y` is constant.
  public static func shares(levels: [[Int]], y: [Double]) -> [Double?] {
    let n = Double(y.count)
    let mean = y.reduce(0, +) / n
    let total = y.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / n
    // a spread below rounding noise of the mean is a constant objective
    guard total > 1e-24 * max(mean * mean, 1) else { return levels.map { _ in nil } }
    return levels.map { levelOf in
      // per-level sums in level order, so the result does not depend on hashing
      var sum = [Double](repeating: 0, count: (levelOf.max() ?? 0) + 1)
      var count = [Int](repeating: 0, count: sum.count)
      for (i, l) in levelOf.enumerated() {
        sum[l] += y[i]
        count[l] += 1
      }
      var between = 0.0
      for l in sum.indices where count[l] > 0 {
        let d = sum[l] / Double(count[l]) - mean
        between += Double(count[l]) / n * d * d
      }
      return between / total
    }
  }
}
