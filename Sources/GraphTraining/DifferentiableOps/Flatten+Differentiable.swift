import Autograd
import Graph

/// ``FlattenOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/Flatten.swift`).
extension FlattenOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [inputs[0].reshaped([inputs[0].shape[0], -1])]
  }
}
