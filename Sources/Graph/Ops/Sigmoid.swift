import Tensors

/// Logistic sigmoid, 1 / (1 + exp(−x)).
public enum SigmoidOp: OpSemantics {
  public static let kind = OpKind.sigmoid
  public static let schema = OpSchema(summary: "Logistic sigmoid, 1 / (1 + exp(−x)).")

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] { [inputShapes[0]] }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0].sigmoid()]
  }
}
