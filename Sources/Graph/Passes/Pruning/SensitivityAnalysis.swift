/// One group's curve in a ``SensitivityTable``: the KPI after pruning that group alone.
public struct SensitivityCurve: Codable, Equatable, Sendable {
  /// One point of the curve.
  public struct Point: Codable, Equatable, Sendable {
    /// The ratio asked.
    public var ratio: Double
    /// Channels kept after rounding.
    public var channels: Int
    /// The KPI of the graph with only this group pruned.
    public var kpi: Double

    /// Creates a point.
    public init(ratio: Double, channels: Int, kpi: Double) {
      self.ratio = ratio
      self.channels = channels
      self.kpi = kpi
    }
  }

  /// The group id.
  public var group: String
  /// The group's channels before pruning.
  public var channels: Int
  /// One point per ratio, in the order asked.
  public var points: [Point]

  /// Creates a curve.
  public init(group: String, channels: Int, points: [Point]) {
    self.group = group
    self.channels = channels
    self.points = points
  }
}

/// Distiller-style sensitivity analysis (Li et al. 2017, §4.2 "sensitivity of each layer to
/// pruning"): each prunable group is pruned alone at each ratio, without fine-tuning, and the
/// KPI is measured; what the report plots as KPI against ratio per group.
public struct SensitivityTable: Codable, Equatable, Sendable {
  /// The KPI of the unpruned graph.
  public var baseline: Double
  /// The ratios tried.
  public var ratios: [Double]
  /// One curve per prunable group, in group order.
  public var curves: [SensitivityCurve]

  /// Creates a table.
  public init(baseline: Double, ratios: [Double], curves: [SensitivityCurve]) {
    self.baseline = baseline
    self.ratios = ratios
    self.curves = curves
  }

  /// Runs the analysis.
  /// - Parameters:
  ///   - planner: the graph (with values), its groups and scores, `roundTo` and `exclude`.
  ///   - ratios: the ratios to try (0.1…0.9 by default).
  ///   - kpi: evaluates a graph on the caller's fixed validation subset; higher is better
  ///     (negate a loss). It is called once for the baseline and once per group and ratio.
  /// - Throws: what `kpi` or pruning throws.
  public static func analyze(
    _ planner: PruningPlanner, ratios: [Double] = stride(from: 0.1, through: 0.9, by: 0.1).map { $0 },
    kpi: (ModelGraph) throws -> Double
  ) throws -> SensitivityTable {
    let baseline = try kpi(planner.graph)
    var curves: [SensitivityCurve] = []
    for group in planner.candidates {
      var points: [SensitivityCurve.Point] = []
      for r in ratios {
        let plan = try planner.plan(ratios: [group.id: r])
        let kept = plan.keep[group.id] ?? Array(0..<group.channels)
        let value =
          kept.count == group.channels
          ? baseline : try kpi(try ChannelPruning.prune(planner.graph, keep: plan.keep, groups: planner.groups))
        points.append(SensitivityCurve.Point(ratio: r, channels: kept.count, kpi: value))
      }
      curves.append(SensitivityCurve(group: group.id, channels: group.channels, points: points))
    }
    return SensitivityTable(baseline: baseline, ratios: ratios, curves: curves)
  }

  /// The KPI of `group` at `ratio` read from its curve (linear between points, the baseline at
  /// ratio 0); nil for a group without a curve.
  public func kpi(of group: String, at ratio: Double) -> Double? {
    guard let curve = curves.first(where: { $0.group == group }) else { return nil }
    var previous = (ratio: 0.0, kpi: baseline)
    for p in curve.points.sorted(by: { $0.ratio < $1.ratio }) {
      if ratio <= p.ratio {
        let span = p.ratio - previous.ratio
        return span <= 0 ? p.kpi : previous.kpi + (p.kpi - previous.kpi) * (ratio - previous.ratio) / span
      }
      previous = (p.ratio, p.kpi)
    }
    return previous.kpi
  }
}
