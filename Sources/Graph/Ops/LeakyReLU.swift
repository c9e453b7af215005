import Tensors

/// Leaky ReLU, x if x > 0 else alpha · x; alpha 0.1 as in Darknet's YOLO (Redmon & Farhadi).
public enum LeakyReLUOp: OpSemantics {
  public static let kind = OpKind.leakyRelu
  public static let schema = OpSchema(
    summary: "Leaky ReLU, x if x > 0 else alpha · x; alpha 0.1 as in Darknet's YOLO (Redmon & Farhadi).",
    attributes: [.init("alpha", "float", default: .float(0.1), "Slope for negative inputs.")])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] { [inputShapes[0]] }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0].leakyRelu(node.float("alpha"))]
  }
}
