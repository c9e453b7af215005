import Tensors

/// Identity: passes its input through (a placeholder left by passes and definitions).
public enum IdentityOp: OpSemantics {
  public static let kind = OpKind.identity
  public static let schema = OpSchema(
    summary: "Identity: passes its input through (a placeholder left by passes and definitions).")

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] { [inputShapes[0]] }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0]]
  }
}
