import Tensors

/// A fully connected layer, y = x · Wᵀ + b with W `[outFeatures, inFeatures]` (PyTorch's
/// `Linear` layout). MACs = inFeatures · outFeatures.
public enum DenseOp: OpSemantics {
  public static let kind = OpKind.dense
  public static let schema = OpSchema(
    summary: "Fully connected layer over [N, features].",
    attributes: [
      .init("outFeatures", "int", default: nil, "Number of outputs."),
      .init("bias", "bool", default: .bool(true), "Whether a learned bias is added."),
    ])
  public static let parameterRoles = ["weight", "bias"]

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let x = inputShapes[0]
    guard x.count == 2 else {
      throw OpShapeError("input must be [N, features], got shape \(x) (add a Flatten first)")
    }
    try ShapeCheck.positive(node, "outFeatures")
    return [[x[0], node.int("outFeatures")]]
  }

  public static func parameterSpecs(_ node: Node, inputShapes: [[Int]]) -> [ParameterSpec] {
    let o = node.int("outFeatures")
    var specs = [ParameterSpec("weight", [o, inputShapes[0][1]], initializer: .xavierUniform)]
    if node.bool("bias") { specs.append(ParameterSpec("bias", [o], initializer: .zeros)) }
    return specs
  }

  public static func macs(_ node: Node, inputShapes: [[Int]], outputShapes: [[Int]]) -> Int {
    inputShapes[0][1] * outputShapes[0][1]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    guard let w = parameters["weight"] else { preconditionFailure("Dense \(node.name): no weight") }
    let y = Tensor.matmul(inputs[0], w, transposeB: true)
    return [parameters["bias"].map { y + $0 } ?? y]
  }
}
