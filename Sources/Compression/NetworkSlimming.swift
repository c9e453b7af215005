import Autograd
import GraphTraining
import Training

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

  /// `task` with the penalty of `executor`'s γ added as a last term named `sparsity` (what a
  /// `train.sparsity` setting trains with; the history shows the term). For λ = 0, or a model
  /// without BatchNorm, `task` itself, so training without sparsity is unchanged bit for bit.
  public static func objective<Output, Batch>(
    _ task: @escaping (Output, Batch) -> LossTerms, executor: GraphExecutor, lambda: Float
  ) -> (Output, Batch) -> LossTerms {
    guard lambda != 0, !executor.batchNormStates.isEmpty else { return task }
    return { output, batch in
      let terms = task(output, batch)
      guard let sparsity = penalty(executor, lambda: lambda) else { return terms }
      return LossTerms(terms.terms + [(name: "sparsity", value: sparsity)])
    }
  }
}
