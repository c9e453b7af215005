import Tensors

/// Rectified linear unit, max(x, 0).
public enum ReLUOp: OpSemantics {
  public static let kind = OpKind.relu
  public static let schema = OpSchema(summary: "Rectified linear unit, max(x, 0).")

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] { [inputShapes[0]] }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0].relu()]
  }
}
