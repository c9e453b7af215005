import Autograd
import Graph

/// ``L2NormalizeOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/L2Normalize.swift`).
extension L2NormalizeOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    let x = inputs[0]
    let norm = (x.squared().sum(axes: [1], keepDims: true) + node.float("epsilon")).sqrt()
    return [x / norm]
  }
}
