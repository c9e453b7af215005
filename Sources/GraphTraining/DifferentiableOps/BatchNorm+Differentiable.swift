import Autograd
import Graph

/// ``BatchNormOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/BatchNorm.swift`).
extension BatchNormOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [differentiate(node, inputs: inputs, parameters: parameters, context: context, activation: nil)]
  }

  /// The node, optionally with the activation that follows it fused in (see
  /// ``ModelGraph/batchNormActivationPairs()``).
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext,
    activation: BatchNormKernel.Activation?
  ) -> Variable {
    guard let gamma = parameters["weight"], let beta = parameters["bias"] else {
      preconditionFailure("BatchNorm \(node.name): missing parameters")
    }
    let state = context.batchNormState(for: node.name)
    return inputs[0].batchNorm(
      gamma: gamma, beta: beta, state: state, training: context.training, activation: activation)
  }
}
