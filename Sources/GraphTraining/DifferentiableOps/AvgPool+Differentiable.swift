import Autograd
import Graph

/// ``AvgPoolOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/AvgPool.swift`).
extension AvgPoolOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [inputs[0].avgPool2d(node.poolParameters)]
  }
}
