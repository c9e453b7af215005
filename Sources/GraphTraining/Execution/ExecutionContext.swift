import Autograd

/// What differentiable evaluation needs beyond inputs and parameters: whether it is training,
/// the BatchNorm running statistics (updated in training mode), and a random stream for
/// Dropout masks.
public final class ExecutionContext {
  /// Training mode: BatchNorm uses batch statistics and updates its running ones, Dropout drops.
  public let training: Bool
  /// Running statistics per BatchNorm node name.
  public let batchNormStates: [String: BatchNormState]
  /// The stream Dropout masks are drawn from (split per node name); one per forward pass.
  public let random: RandomStream

  /// Creates a context.
  public init(training: Bool, batchNormStates: [String: BatchNormState], random: RandomStream) {
    self.training = training
    self.batchNormStates = batchNormStates
    self.random = random
  }

  /// The running statistics of BatchNorm node `name`.
  public func batchNormState(for name: String) -> BatchNormState {
    guard let state = batchNormStates[name] else {
      preconditionFailure("ExecutionContext: no BatchNorm state for node \(name)")
    }
    return state
  }

  /// The stream for node `node` in this pass (a Dropout mask).
  public func stream(for node: String) -> RandomStream { random.split(node) }
}
