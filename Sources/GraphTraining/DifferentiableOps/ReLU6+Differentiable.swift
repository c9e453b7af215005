import Autograd
import Graph

/// ``ReLU6Op`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/ReLU6.swift`).
extension ReLU6Op: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    [inputs[0].relu6()]
  }
}
