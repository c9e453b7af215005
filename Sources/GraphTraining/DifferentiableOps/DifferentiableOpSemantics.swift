import Autograd
import Graph

/// An op kind that training can run: Graph's ``Graph/OpSemantics`` (schema, shapes, cost,
/// reference evaluation) plus a differentiable evaluation through `Autograd`.
///
/// Each op in Graph's `Ops/<Op>.swift` conforms in `DifferentiableOps/<Op>+Differentiable.swift`
/// here, and is listed once in ``DifferentiableOpRegistry/all``.
public protocol DifferentiableOpSemantics: OpSemantics {
  /// The differentiable evaluation used for training; with `context.training == false` it
  /// equals ``Graph/OpSemantics/evaluate(_:inputs:parameters:)``.
  static func differentiate(
    _ node: Node, inputs: [Variable], parameters: [String: Variable], context: ExecutionContext
  ) -> [Variable]
}
