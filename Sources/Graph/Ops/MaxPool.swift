import Tensors

/// 2-D max pooling over NCHW with PyTorch's ceil-mode convention (SqueezeNet's 3×3/2 pools use
/// ceil mode; Darknet's tiny YOLO downsamples with 2×2/2 max pools).
public enum MaxPoolOp: OpSemantics {
  public static let kind = OpKind.maxPool
  public static let schema = OpSchema(
    summary: "2-D max pooling.",
    attributes: [
      .init("kernel", "ints", default: nil, "Window size, [height, width]."),
      CommonAttributes.stride,
      CommonAttributes.padding,
      .init("ceilMode", "bool", default: .bool(false), "Round the output size up (PyTorch's ceil_mode)."),
    ])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    try PoolShape.infer(node, inputShapes[0])
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [Pooling.maxValues(inputs[0], node.poolParameters)]
  }
}

/// Shape inference shared by MaxPool and AvgPool.
enum PoolShape {
  static func infer(_ node: Node, _ x: [Int]) throws -> [[Int]] {
    try ShapeCheck.rank(x, 4)
    try ShapeCheck.pairs(node, ["kernel", "stride"])
    try ShapeCheck.pairs(node, ["padding"], count: 4, positive: false)
    let p = node.ints("padding"), k = node.ints("kernel")
    guard p[0] <= k[0] / 2, p[2] <= k[0] / 2, p[1] <= k[1] / 2, p[3] <= k[1] / 2 else {
      throw OpShapeError("padding \(p) must be at most half the kernel \(k)")
    }
    let (oh, ow) = node.poolParameters.outputSize(h: x[2], w: x[3])
    guard oh > 0, ow > 0 else {
      throw OpShapeError("a \(k[0])×\(k[1]) window does not fit the \(x[2])×\(x[3]) input")
    }
    return [[x[0], x[1], oh, ow]]
  }
}
