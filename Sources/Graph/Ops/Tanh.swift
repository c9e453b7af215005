import Tensors

/// Hyperbolic tangent.
public enum TanhOp: OpSemantics {
  public static let kind = OpKind.tanh
  public static let schema = OpSchema(summary: "Hyperbolic tangent.")

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] { [inputShapes[0]] }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0].tanh()]
  }
}
