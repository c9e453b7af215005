import Autograd
import Graph

/// ``DropoutOp`` in training: its differentiable evaluation through `Autograd` (shape,
/// cost and the reference evaluation are in Graph's `Ops/Dropout.swift`).
extension DropoutOp: DifferentiableOpSemantics {
  public static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable] {
    let rate = node.float("rate")
    guard context.training, rate > 0 else { return [inputs[0]] }
    var rng = context.stream(for: node.name)
    let keep = Tensor<Float>.bernoulli(inputs[0].shape, p: 1 - rate, rng: &rng) * (1 / (1 - rate))
    return [inputs[0] * Variable(keep)]
  }
}
