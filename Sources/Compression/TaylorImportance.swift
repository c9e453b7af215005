import Autograd
import Graph
import GraphTraining
import Tensors

/// First-order Taylor importance of channels, from gradients of the task loss.
///
/// Molchanov, Mallya, Tyree, Frosio & Kautz, "Importance Estimation for Neural Network
/// Pruning", CVPR 2019, eq. (8): removing the parameters W_s of a filter changes the loss by
/// about −Σ_s g_s·w_s, so its importance is I = (Σ_{s ∈ filter} g_s·w_s)², accumulated over
/// minibatches (averaged here). For a network with BatchNorm they recommend the same product on
/// γ and β ("BN-scale gate": (γ·g_γ + β·g_β)²). Here each member of a group that holds the
/// channel's own parameters — producer filters with their bias, depthwise filters with their
/// bias, BatchNorm γ and β — gives one such square, and the group's importance of channel `j`
/// is their sum.
public enum TaylorImportance {
  /// Computes the scores.
  /// - Parameters:
  ///   - graph: the trained graph (float values).
  ///   - groups: its channel groups; fixed groups get no score.
  ///   - batches: how many minibatches `loss` is called for (0…batches − 1).
  ///   - loss: runs the executor on minibatch `i` (usually `executor.forward(inputs:training:
  ///     false)`, so running statistics stay as trained) and returns the scalar task loss.
  /// - Returns: per group id, one score per channel.
  /// - Throws: what building the executor or `loss` throws.
  public static func scores(
    graph: ModelGraph, groups: [ChannelGroup], batches: Int,
    loss: (_ executor: GraphExecutor, _ batch: Int) throws -> Variable
  ) throws -> [String: [Float]] {
    let executor = try GraphExecutor(graph: graph)
    let variables = Dictionary(executor.parameters.map { ($0.name, $0.variable) }, uniquingKeysWith: { a, _ in a })
    let prunable = groups.filter(\.isPrunable)
    var scores = Dictionary(uniqueKeysWithValues: prunable.map { ($0.id, [Float](repeating: 0, count: $0.channels)) })
    let count = max(1, batches)
    for batch in 0..<count {
      for (_, v) in executor.parameters { v.zeroGrad() }
      try loss(executor, batch).backward()
      for group in prunable {
        var s = scores[group.id] ?? []
        for slice in group.slices where slice.role != .consumer {
          let terms = ["weight", "bias"].compactMap { variables[Parameter.key(node: slice.node, role: $0)] }
          for j in 0..<group.channels {
            var product: Float = 0
            for v in terms {
              guard let g = v.grad else { continue }
              let rowLength = v.value.count / max(v.value.shape[0], 1)
              for row in slice.indices[j] {
                for i in (row * rowLength)..<((row + 1) * rowLength) { product += g.scalars[i] * v.value.scalars[i] }
              }
            }
            s[j] += product * product / Float(count)
          }
        }
        scores[group.id] = s
      }
    }
    return scores
  }
}
