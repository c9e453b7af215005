/// Turns importance scores and a ``PruningTarget`` into a ``PruningPlan``: how many channels
/// each prunable group keeps (ratios rounded with `roundTo`), and which (the highest-scoring,
/// ties to the lower index).
public struct PruningPlanner {
  /// The graph to prune (values are not needed: budgets are met on shapes).
  public let graph: ModelGraph
  /// Its channel groups.
  public let groups: [ChannelGroup]
  /// Importance of each channel per group id (higher is kept first); groups without scores
  /// keep their first channels.
  public var scores: [String: [Float]]
  /// Kept counts are multiples of this (see ``keptChannelCount(original:current:ratio:roundTo:)``).
  public var roundTo: Int
  /// Group ids or node names never pruned (a group is excluded when its id, a producer or a
  /// follower is listed).
  public var exclude: Set<String>
  /// Channel counts the ratios refer to, by group id (the unpruned model's, in iterative
  /// pruning); the current counts when absent.
  public var original: [String: Int]
  /// The largest ratio a budget search may ask of a group.
  public var maxRatio: Double

  /// Creates a planner for `graph` (its groups are analysed when not given).
  /// - Throws: ``GraphValidationError`` when the graph is invalid.
  public init(
    graph: ModelGraph, groups: [ChannelGroup]? = nil, scores: [String: [Float]] = [:], roundTo: Int = 1,
    exclude: Set<String> = [], original: [String: Int] = [:], maxRatio: Double = 0.9
  ) throws {
    self.graph = graph
    self.groups = try groups ?? ChannelDependencies.analyze(graph)
    self.scores = scores
    self.roundTo = roundTo
    self.exclude = exclude
    self.original = original
    self.maxRatio = maxRatio
  }

  /// The groups a plan may prune: prunable and not excluded.
  public var candidates: [ChannelGroup] {
    groups.filter { group in
      group.isPrunable && !exclude.contains(group.id)
        && !group.slices.contains { $0.role != .consumer && exclude.contains($0.node) }
    }
  }

  /// The plan meeting `target`.
  /// - Throws: ``PruningError/badRatio(_:_:)`` for a ratio outside [0, 1), ``PruningError/unknownGroup(_:known:)``
  ///   for a ratio naming no group, ``PruningError/budgetUnreachable(what:budget:smallest:)``.
  public func plan(_ target: PruningTarget) throws -> PruningPlan {
    switch target {
    case let .ratio(r):
      return try plan(ratios: Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, r) }))
    case let .ratios(byName, fallback):
      var ratios: [String: Double] = [:]
      for group in candidates { ratios[group.id] = fallback }
      for (name, r) in byName {
        let matches = candidates.filter { $0.id == name || $0.producers.contains(name) }
        guard !matches.isEmpty else { throw PruningError.unknownGroup(name, known: candidates.map(\.id)) }
        for group in matches { ratios[group.id] = r }
      }
      return try plan(ratios: ratios)
    case let .parameters(budget):
      return try meet(budget, what: "parameter") { $0.totalParameters }
    case let .macs(budget):
      return try meet(budget, what: "MAC") { $0.totalMACs }
    }
  }

  /// The plan with the given ratio per group id (groups not listed are not pruned).
  public func plan(ratios: [String: Double]) throws -> PruningPlan {
    var keep: [String: [Int]] = [:]
    for group in candidates {
      guard let r = ratios[group.id] else { continue }
      guard r >= 0, r < 1 else { throw PruningError.badRatio("group '\(group.id)'", r) }
      let count = keptChannelCount(
        original: original[group.id] ?? group.channels, current: group.channels, ratio: r, roundTo: roundTo)
      keep[group.id] = best(count, of: group)
    }
    return PruningPlan(ratios: ratios.filter { keep[$0.key] != nil }, keep: keep)
  }

  /// The `count` highest-scoring channels of `group`, ascending.
  public func best(_ count: Int, of group: ChannelGroup) -> [Int] {
    let s = scores[group.id] ?? []
    let score = { (j: Int) -> Float in j < s.count ? s[j] : 0 }
    let order = (0..<group.channels).sorted { score($0) != score($1) ? score($0) > score($1) : $0 < $1 }
    return order.prefix(count).sorted()
  }

  /// The cost report of the graph pruned by `plan` (computed on shapes only).
  public func cost(of plan: PruningPlan) throws -> CostReport {
    var shapes = graph
    for key in shapes.parameters.keys { shapes.parameters[key]?.data = nil }
    return try CostAnalysis.analyze(try ChannelPruning.prune(shapes, keep: plan.keep, groups: groups))
  }

  /// The smallest uniform ratio (to 1e-4) whose plan's `measure` is at most `budget`.
  private func meet(_ budget: Int, what: String, _ measure: (CostReport) -> Int) throws -> PruningPlan {
    let uniform = { (r: Double) in
      try self.plan(ratios: Dictionary(uniqueKeysWithValues: self.candidates.map { ($0.id, r) }))
    }
    let none = try uniform(0)
    if measure(try cost(of: none)) <= budget { return none }
    let most = try uniform(maxRatio)
    let smallest = measure(try cost(of: most))
    guard smallest <= budget else {
      throw PruningError.budgetUnreachable(what: what, budget: budget, smallest: smallest)
    }
    var (low, high, best) = (0.0, maxRatio, most)
    while high - low > 1e-4 {
      let mid = (low + high) / 2
      let candidate = try uniform(mid)
      if measure(try cost(of: candidate)) <= budget {
        (high, best) = (mid, candidate)
      } else {
        low = mid
      }
    }
    return best
  }
}
