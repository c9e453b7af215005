import Autograd
import Graph

/// ``LeakyReLUOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/LeakyReLU.swift`).
extension LeakyReLUOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [inputs[0].leakyRelu(node.float("alpha"))]
  }
}
