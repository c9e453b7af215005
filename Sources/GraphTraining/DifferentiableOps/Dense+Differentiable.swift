import Autograd
import Graph

/// ``DenseOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/Dense.swift`).
extension DenseOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    guard let w = parameters["weight"] else { preconditionFailure("Dense \(node.name): no weight") }
    return [inputs[0].dense(weight: w, bias: parameters["bias"])]
  }
}
