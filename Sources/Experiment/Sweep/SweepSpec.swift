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
