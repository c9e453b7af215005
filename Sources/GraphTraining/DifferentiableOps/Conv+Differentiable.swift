import Autograd
import Graph

/// ``ConvOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/Conv.swift`).
extension ConvOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    guard let w = parameters["weight"] else { preconditionFailure("Conv \(node.name): no weight") }
    return [inputs[0].conv2d(weight: w, bias: parameters["bias"], node.convParameters)]
  }
}

extension ConvOp {
  /// The node followed by the BatchNorm node `batchNorm` (with its own `batchNormParameters`),
  /// optionally `activation` and optionally the MaxPool node `maxPool`, as one op (see
  /// ``ModelGraph/convBatchNormChains()``): in inference without gradients the normalisation
  /// runs inside the convolution.
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], batchNorm: Node,
    batchNormParameters: [String: Variable], context: ExecutionContext, activation: BatchNormKernel.Activation?,
    maxPool: Node? = nil
  ) -> Variable {
    guard let w = parameters["weight"] else { preconditionFailure("Conv \(node.name): no weight") }
    guard let gamma = batchNormParameters["weight"], let beta = batchNormParameters["bias"] else {
      preconditionFailure("BatchNorm \(batchNorm.name): missing parameters")
    }
    return inputs[0].conv2dBatchNorm(
      weight: w, bias: parameters["bias"], node.convParameters, gamma: gamma, beta: beta,
      state: context.batchNormState(for: batchNorm.name), training: context.training, activation: activation,
      maxPool: maxPool?.poolParameters)
  }
}
