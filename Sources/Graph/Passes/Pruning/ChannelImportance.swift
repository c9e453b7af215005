import Tensors

/// Importance scores of a group's channels computed from the weights alone; the higher, the
/// more a channel is worth keeping. A group's score for channel `j` is the sum over its members
/// (the slices named below) of each member's score for `j`. Scores rank channels *within* a
/// group (see ``PruningPlanner``).
public enum ChannelImportance {
  /// The Lp norm of each filter that computes the channel: the weight rows of the group's
  /// producers (conv filters, dense rows) and depthwise followers, biases excluded.
  ///
  /// Li, Kadav, Durdanovic, Samet & Graf, "Pruning Filters for Efficient ConvNets", ICLR 2017
  /// (§3.1 ranks filters by Σ|W|, the L1 norm; `order: 2` gives the L2 variant they compare).
  /// - Throws: ``PruningError/missingValue(_:)`` when a weight has no value.
  public static func filterNorm(_ graph: ModelGraph, _ group: ChannelGroup, order: Int) throws -> [Float] {
    precondition(order == 1 || order == 2, "filterNorm: order must be 1 or 2")
    var scores = [Float](repeating: 0, count: group.channels)
    for slice in group.slices where slice.role != .consumer {
      guard let node = graph.node(named: slice.node), node.op != .batchNorm else { continue }
      let w = try value(graph, slice.node, "weight")
      let rowLength = w.count / max(w.shape[0], 1)
      for j in 0..<group.channels {
        for row in slice.indices[j] {
          let start = row * rowLength
          var sum: Float = 0
          for i in start..<(start + rowLength) {
            sum += order == 1 ? abs(w.scalars[i]) : w.scalars[i] * w.scalars[i]
          }
          scores[j] += order == 1 ? sum : sum.squareRoot()
        }
      }
    }
    return scores
  }

  /// |γ| of the group's BatchNorms (summed when several normalise the channel); a group without
  /// BatchNorm is ranked by ``filterNorm(_:_:order:)`` with order 1 instead.
  ///
  /// Liu, Li, Shen, Huang, Yan & Zhang, "Learning Efficient Convolutional Networks through
  /// Network Slimming", ICCV 2017: γ scales the normalised channel, so |γ| ≈ 0 means the channel
  /// contributes only the constant β (made sparse by an L1 penalty λ·Σ|γ| during training).
  /// - Throws: ``PruningError/missingValue(_:)`` when γ (or a weight) has no value.
  public static func batchNormScale(_ graph: ModelGraph, _ group: ChannelGroup) throws -> [Float] {
    let norms = group.slices.filter { $0.role == .follower && graph.node(named: $0.node)?.op == .batchNorm }
    guard !norms.isEmpty else { return try filterNorm(graph, group, order: 1) }
    var scores = [Float](repeating: 0, count: group.channels)
    for slice in norms {
      let gamma = try value(graph, slice.node, "weight")
      for j in 0..<group.channels {
        for row in slice.indices[j] { scores[j] += abs(gamma.scalars[row]) }
      }
    }
    return scores
  }

  /// The float value of `node`'s parameter `role`.
  static func value(_ graph: ModelGraph, _ node: String, _ role: String) throws -> Tensor<Float> {
    let key = Parameter.key(node: node, role: role)
    guard let p = graph.parameters[key], p.hasValue else { throw PruningError.missingValue(key) }
    guard let v = p.value else { throw PruningError.nonFloatParameter(key) }
    return v
  }
}
