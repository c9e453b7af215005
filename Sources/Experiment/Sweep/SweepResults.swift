import Foundation
import RunFormat
import Support

/// What a sweep wrote to `trials.json`: every trial with its settings, objectives, status and
/// run folder, the Pareto front and the best trial per objective.
public struct SweepResults: Codable, Sendable {
  /// One trial's outcome.
  public struct Trial: Codable, Sendable, Equatable {
    public var id: String
    public var index: Int
    /// The space's values (`model.width` → 0.25).
    public var settings: [String: JSONValue]
    /// `pending`, `running`, `succeeded`, `failed` or `interrupted`.
    public var status: String
    /// Whether a finished run of this trial was found and re-used instead of running it again.
    public var reused: Bool
    public var failedStage: String?
    public var error: String?
    /// `variant.metric` → value, for the sweep's objectives found in the trial's metrics.json.
    public var objectives: [String: Double]
    /// Whether every constraint holds (false when a constrained metric is missing).
    public var feasible: Bool
    /// The trial's run folder, relative to the sweep folder.
    public var runFolder: String?
    /// ASHA: the epochs the objectives were measured at (the trial's highest rung so far).
    public var epochs: Int? = nil
    /// ASHA: every rung the trial ran, lowest first (a stopped trial keeps its partial history).
    public var rungs: [Rung]? = nil
  }

  /// One ASHA rung of a trial: its objectives after `epochs` epochs and the run folder.
  public struct Rung: Codable, Sendable, Equatable {
    public var epochs: Int
    /// `succeeded`, `failed` or `interrupted`.
    public var status: String
    public var objectives: [String: Double]
    public var runFolder: String?
    /// Whether the rung's finished run was found and re-used instead of running it again.
    public var reused: Bool
  }

  public struct Objective: Codable, Sendable, Equatable {
    public var metric: String
    public var direction: SweepSpec.Direction
  }

  public var sweep: String
  public var sweepId: String
  public var base: String
  public var search: String
  public var objectives: [Objective]
  public var constraints: [String]
  public var trials: [Trial]
  /// Ids of the succeeded, feasible trials on the Pareto front of the objectives.
  public var pareto: [String]
  /// Objective metric → id of the best succeeded, feasible trial (ties: the earlier trial).
  public var best: [String: String]
  /// The search space (nil in files written before it was recorded, and for multiruns).
  public var space: [SpaceAxis]? = nil
  /// ASHA: the epochs of each rung, lowest first (trials that stop below the top rung have
  /// status `stopped` and are not ranked).
  public var rungEpochs: [Int]? = nil

  /// Fills `pareto` and `best` from the trials' objectives.
  public mutating func rank() {
    // without objectives (a multirun of an experiment with no gates) nothing is ranked
    guard !objectives.isEmpty else { (pareto, best) = ([], [:]); return }
    let candidates = trials.filter { t in
      t.status == "succeeded" && t.feasible && objectives.allSatisfy { t.objectives[$0.metric]?.isFinite == true }
    }
    let points = candidates.map { t in objectives.map { t.objectives[$0.metric] ?? .nan } }
    pareto = Pareto.front(points, directions: objectives.map(\.direction)).map { candidates[$0].id }
    best = [:]
    for (k, o) in objectives.enumerated() {
      var bestIndex: Int? = nil
      for (i, p) in points.enumerated() {
        guard let b = bestIndex else { bestIndex = i; continue }
        if o.direction == .max ? p[k] > points[b][k] : p[k] < points[b][k] { bestIndex = i }
      }
      if let b = bestIndex { best[o.metric] = candidates[b].id }
    }
  }

  /// Reads `trials.json` from a sweep folder.
  public static func read(_ directory: URL) throws -> SweepResults {
    let data = try FileSystem.read(directory.appendingPathComponent("trials.json").path, "the sweep's trials.json")
    return try JSONDecoder().decode(SweepResults.self, from: data)
  }
}
