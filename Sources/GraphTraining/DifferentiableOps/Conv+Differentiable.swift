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
