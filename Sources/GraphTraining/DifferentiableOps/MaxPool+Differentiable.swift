import Autograd
import Graph

/// ``MaxPoolOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/MaxPool.swift`).
extension MaxPoolOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [inputs[0].maxPool2d(node.poolParameters)]
  }
}
