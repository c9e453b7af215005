import Tensors

/// Elementwise sum of two tensors of the same shape (residual shortcuts).
public enum AddOp: OpSemantics {
  public static let kind = OpKind.add
  public static let schema = OpSchema(summary: "Elementwise sum of two same-shaped inputs.", inputCount: 2...2)

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    guard inputShapes[0] == inputShapes[1] else {
      throw OpShapeError("inputs have different shapes \(inputShapes[0]) and \(inputShapes[1])")
    }
    return [inputShapes[0]]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0] + inputs[1]]
  }
}
