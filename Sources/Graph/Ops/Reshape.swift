import Tensors

/// Reshapes each sample: the batch axis is kept and `shape` gives the other axes (one entry
/// may be −1 and is inferred).
public enum ReshapeOp: OpSemantics {
  public static let kind = OpKind.reshape
  public static let schema = OpSchema(
    summary: "Reshapes each sample, keeping the batch axis.",
    attributes: [.init("shape", "ints", default: nil, "Per-sample target shape; one entry may be -1.")])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let x = inputShapes[0], target = node.ints("shape")
    let count = x.dropFirst().reduce(1, *)
    let holes = target.filter { $0 == -1 }.count
    guard holes <= 1, target.allSatisfy({ $0 > 0 || $0 == -1 }) else {
      throw OpShapeError("shape \(target) may hold positive extents and at most one -1")
    }
    let known = target.filter { $0 > 0 }.reduce(1, *)
    guard holes == 1 ? count % known == 0 : known == count else {
      throw OpShapeError("cannot reshape a sample of shape \(Array(x.dropFirst())) (\(count) elements) to \(target)")
    }
    return [[x[0]] + target.map { $0 == -1 ? count / known : $0 }]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0].reshaped([inputs[0].shape[0]] + node.ints("shape"))]
  }
}
