import Autograd
import Graph

/// ``GlobalAvgPoolOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/GlobalAvgPool.swift`).
extension GlobalAvgPoolOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [inputs[0].globalAvgPool()]
  }
}
