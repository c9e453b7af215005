import Foundation
import Support

/// A validated sweep file: a base experiment, a search space over its `--set` paths, how to
/// search it, and the objectives (any `metrics.json` `variant.metric`) to trade off.
public struct SweepSpec: Sendable {
  /// How trials are drawn from the space.
  public enum Search: String, Sendable, CaseIterable {
    /// Every combination of the listed values, in a fixed order (keys sorted, last key fastest).
    case grid
    /// `trials` independent draws seeded from `seed`.
    case random
    /// Asynchronous successive halving (Li et al. 2018) over `trials` random draws: rungs by
    /// epochs (``Asha``), promotion on the first objective, a promoted trial continuing from its
    /// lower rung's checkpoint.
    case asha
    /// Tree-structured Parzen estimators (Bergstra et al. 2011): random start-up trials, then
    /// each trial drawn where the good results are dense and the bad ones sparse (``TPE``).
    case tpe
  }

  /// `"asha": {"min_epochs": r, "max_epochs": R, "eta": η}`: rung k trains r·ηᵏ epochs (at
  /// most R) of an R-epoch run (every trial gets `train.epochs` = R and a rung its
  /// `train.stop_after_epochs`).
  public struct Asha: Sendable, Equatable {
    public var minEpochs: Int
    public var maxEpochs: Int
    public var eta: Int
  }

  /// `"tpe": {"startup_trials": n, "gamma": γ, "candidates": c}` (``TPESampler``).
  public struct TPE: Sendable, Equatable {
    /// Trials drawn at random before the model takes over.
    public var startupTrials = 10
    /// The good group: the best ⌈γ·n⌉ of the n results.
    public var gamma = 0.25
    /// Draws from l(x) scored by l(x)/g(x) per proposal.
    public var candidates = 24
  }

  /// Whether an objective is better high or low.
  public enum Direction: String, Sendable, CaseIterable, Codable {
    case max, min
  }

  /// One objective: `float.map50` → variant `float`, KPI `map50`.
  public struct Objective: Sendable, Equatable {
    public var metric: String
    public var direction: Direction
    public var variant: String { Gate(metric: metric, op: ">=", threshold: 0).variant }
    public var kpi: String { Gate(metric: metric, op: ">=", threshold: 0).kpi }
  }

  public var name: String
  public var description: String
  /// The base experiment file, resolved relative to the sweep file.
  public var base: String
  /// `--set` overrides applied to every trial before the space's values (e.g. `train.epochs=1`).
  public var fixed: [String]
  /// The space, sorted by path (the order grids enumerate and random draws use).
  public var space: [(path: String, dimension: SweepDimension)]
  public var search: Search
  /// Random search: how many draws; grid: an optional cap on the number of combinations.
  public var trials: Int?
  /// ASHA's rungs (`search` asha only).
  public var asha: Asha? = nil
  /// TPE's settings (defaults unless the file has a `tpe` section).
  public var tpe = TPE()
  public var seed: UInt64
  /// Objectives in key order.
  public var objectives: [Objective]
  /// Conditions a trial must meet to count on the Pareto front (`"float.map50": ">= 0.5"`).
  public var constraints: [Gate]
  /// The sweep file as written (canonical JSON is part of the sweep id).
  public var document: JSONValue
  /// The sweep file's path.
  public var file: String
}
