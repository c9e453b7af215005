import Tensors

/// Flattens every axis after the batch axis: [N, …] → [N, product].
public enum FlattenOp: OpSemantics {
  public static let kind = OpKind.flatten
  public static let schema = OpSchema(summary: "Flattens all axes after the batch axis.")

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let x = inputShapes[0]
    guard x.count >= 1 else { throw OpShapeError("input must have a batch axis, got shape \(x)") }
    return [[x[0], x.dropFirst().reduce(1, *)]]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0].reshaped([inputs[0].shape[0], -1])]
  }
}
