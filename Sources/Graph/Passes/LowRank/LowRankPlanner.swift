/// Chooses the rank of each factorisable convolution (``LowRankFactorization``): by an energy
/// threshold, or by a MAC budget met with the largest common energy threshold.
public struct LowRankPlanner {
  /// One candidate convolution: its singular values and MAC terms.
  public struct Layer: Sendable {
    /// The node.
    public var node: String
    /// σ of the reshaped weight, descending.
    public var singularValues: [Double]
    /// N, C·k² and the output positions H·W.
    public var filters: Int, columns: Int, positions: Int
    /// The largest rank that saves MACs.
    public var usefulRank: Int

    /// MACs per sample of the layer at `rank` (the original layer's when not factorised).
    public func macs(rank: Int?) -> Int {
      guard let r = rank else { return filters * columns * positions }
      return r * (columns + filters) * positions
    }
  }

  /// The candidates, in graph order, without the excluded nodes.
  public let layers: [Layer]
  /// MACs per sample of the whole graph before factorisation.
  public let totalMACs: Int

  /// Decomposes every candidate convolution of `graph` not named in `exclude`.
  /// - Throws: what the cost analysis or the SVD throws.
  public init(graph: ModelGraph, exclude: Set<String> = []) throws {
    let shapes = graph.valueShapes
    layers = try LowRankFactorization.candidates(graph).filter { !exclude.contains($0.name) }.map { conv in
      let svd = try LowRankFactorization.decomposition(conv, in: graph)
      let positions = (shapes[conv.outputs[0]] ?? []).dropFirst(2).reduce(1, *)
      return Layer(
        node: conv.name, singularValues: svd.singularValues, filters: svd.rows, columns: svd.columns,
        positions: positions, usefulRank: LowRankFactorization.usefulRank(conv, in: graph))
    }
    totalMACs = try CostAnalysis.analyze(graph).totalMACs
  }

  /// For each layer, the rank keeping `energy` of Σσ², when it saves MACs.
  public func ranks(energy: Double) -> [String: Int] {
    var ranks: [String: Int] = [:]
    for layer in layers {
      let r = LowRankFactorization.rank(forEnergy: energy, singularValues: layer.singularValues)
      if r <= layer.usefulRank { ranks[layer.node] = r }
    }
    return ranks
  }

  /// MACs per sample of the graph factorised at `ranks`.
  public func macs(_ ranks: [String: Int]) -> Int {
    totalMACs - layers.reduce(0) { $0 + $1.macs(rank: nil) - $1.macs(rank: ranks[$1.node]) }
  }

  /// The ranks of the largest energy threshold (to 1e-4) whose factorisation has at most
  /// `budget` MACs.
  /// - Throws: ``PruningError/budgetUnreachable(what:budget:smallest:)`` when rank 1 everywhere
  ///   still costs more.
  public func ranks(maxMACs budget: Int) throws -> [String: Int] {
    if totalMACs <= budget { return [:] }
    let smallest = ranks(energy: 0)
    guard macs(smallest) <= budget else {
      throw PruningError.budgetUnreachable(what: "MAC", budget: budget, smallest: macs(smallest))
    }
    var (low, high, best) = (0.0, 1.0, smallest)
    while high - low > 1e-4 {
      let mid = (low + high) / 2
      let candidate = ranks(energy: mid)
      if macs(candidate) <= budget {
        (low, best) = (mid, candidate)
      } else {
        high = mid
      }
    }
    return best
  }
}
