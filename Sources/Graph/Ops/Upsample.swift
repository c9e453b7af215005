import Tensors

/// Nearest-neighbour upsampling by an integer factor (×2 in the YOLOv3 neck, Redmon & Farhadi
/// 2018).
public enum UpsampleOp: OpSemantics {
  public static let kind = OpKind.upsample
  public static let schema = OpSchema(
    summary: "Nearest-neighbour upsampling by an integer factor.",
    attributes: [.init("factor", "int", default: .int(2), "Scale of height and width.")])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let x = inputShapes[0]
    try ShapeCheck.rank(x, 4)
    try ShapeCheck.positive(node, "factor")
    let f = node.int("factor")
    return [[x[0], x[1], x[2] * f, x[3] * f]]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [Pooling.upsampleNearest(inputs[0], factor: node.int("factor"))]
  }
}
