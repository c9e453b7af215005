extension SensitivityTable {
  /// Per-group ratios that meet a parameter or MAC budget, chosen greedily from the curves:
  /// starting from no pruning, each step raises one group's ratio to its next tried ratio —
  /// the group losing the least KPI (from its curve) per unit of cost saved — until the
  /// planner's cost of the plan is within `budget`.
  ///
  /// The curves measure each group alone, so the sum of their drops only estimates the joint
  /// drop (the usual assumption of sensitivity-based allocation); fine-tuning recovers the rest.
  /// - Parameters:
  ///   - measure: the cost compared with `budget`, e.g. `\.totalMACs`.
  /// - Throws: ``PruningError/budgetUnreachable(what:budget:smallest:)`` when every group at its
  ///   largest ratio still costs more.
  public func ratios(
    for budget: Int, what: String, planner: PruningPlanner, measure: (CostReport) -> Int
  ) throws -> [String: Double] {
    let steps = ratios.filter { $0 > 0 && $0 <= planner.maxRatio }.sorted()
    var current: [String: Double] = [:]
    for curve in curves { current[curve.group] = 0 }
    var cost = measure(try planner.cost(of: try planner.plan(ratios: current)))
    while cost > budget {
      var best: (group: String, ratio: Double, cost: Int, score: Double)?
      for curve in curves {
        guard let r = current[curve.group], let next = steps.first(where: { $0 > r + 1e-9 }) else { continue }
        var trial = current
        trial[curve.group] = next
        let trialCost = measure(try planner.cost(of: try planner.plan(ratios: trial)))
        let saved = cost - trialCost
        guard saved > 0 else { continue }
        let drop = max(0, (kpi(of: curve.group, at: r) ?? 0) - (kpi(of: curve.group, at: next) ?? 0))
        let score = drop / Double(saved)
        if let chosen = best, chosen.score <= score { continue }
        best = (curve.group, next, trialCost, score)
      }
      guard let choice = best else {
        throw PruningError.budgetUnreachable(what: what, budget: budget, smallest: cost)
      }
      current[choice.group] = choice.ratio
      cost = choice.cost
    }
    return current
  }
}
