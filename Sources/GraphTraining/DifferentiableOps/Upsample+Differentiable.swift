import Autograd
import Graph

/// ``UpsampleOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/Upsample.swift`).
extension UpsampleOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [inputs[0].upsampleNearest(factor: node.int("factor"))]
  }
}
