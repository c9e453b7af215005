import Autograd
import Graph

/// ``ConcatOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/Concat.swift`).
extension ConcatOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [Variable.concat(inputs, axis: node.int("axis"))]
  }
}
