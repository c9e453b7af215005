import Tensors

/// Global average pooling, [N, C, H, W] → [N, C, 1, 1] (Lin et al., "Network In Network"); the
/// SqueezeNet classifier and the GAP8 face descriptor end with it.
public enum GlobalAvgPoolOp: OpSemantics {
  public static let kind = OpKind.globalAvgPool
  public static let schema = OpSchema(summary: "Mean over height and width, keeping 1×1 spatial axes.")

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let x = inputShapes[0]
    try ShapeCheck.rank(x, 4)
    return [[x[0], x[1], 1, 1]]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [Pooling.globalAvgForward(inputs[0])]
  }
}
