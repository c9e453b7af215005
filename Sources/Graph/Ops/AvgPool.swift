import Tensors

/// 2-D average pooling over NCHW (PyTorch's divisor conventions).
public enum AvgPoolOp: OpSemantics {
  public static let kind = OpKind.avgPool
  public static let schema = OpSchema(
    summary: "2-D average pooling.",
    attributes: [
      .init("kernel", "ints", default: nil, "Window size, [height, width]."),
      CommonAttributes.stride,
      CommonAttributes.padding,
      .init("ceilMode", "bool", default: .bool(false), "Round the output size up (PyTorch's ceil_mode)."),
      .init("countIncludePad", "bool", default: .bool(true), "Divide by the window size including padding."),
    ])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    try PoolShape.infer(node, inputShapes[0])
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [Pooling.avgForward(inputs[0], node.poolParameters)]
  }
}
