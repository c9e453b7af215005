import Autograd
import GraphTraining

/// The sparsity penalty of network slimming (Liu, Li, Shen, Huang, Yan & Zhang, "Learning
/// Efficient Convolutional Networks through Network Slimming", ICCV 2017, eq. 1): λ·Σ|γ| over
/// every BatchNorm scale, added to the task loss during training so that unimportant channels'
/// γ shrink towards zero and ``Graph/ChannelImportance/batchNormScale(_:_:)`` can rank them.
/// Its subgradient is λ·sign(γ).
public enum NetworkSlimming {
  /// λ·Σ|γ| for the BatchNorm nodes of `executor`, or nil when it has none or λ = 0.
  public static func penalty(_ executor: GraphExecutor, lambda: Float) -> Variable? {
    guard lambda != 0 else { return nil }
    let gammas = executor.batchNormStates.compactMap { state in
      executor.parameters.first { $0.name == "\(state.name).weight" }?.variable
    }
    guard let first = gammas.first else { return nil }
    var total = first.abs().sum()
    for gamma in gammas.dropFirst() { total = total + gamma.abs().sum() }
    return total * lambda
  }
}
