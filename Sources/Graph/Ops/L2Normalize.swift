import Tensors

/// Scales each sample to unit L2 norm over the channel axis: y = x / √(Σ x² + ε). Used on face
/// descriptors so that distances compare directions; composed from differentiable primitives,
/// so its gradient needs no handwritten rule.
public enum L2NormalizeOp: OpSemantics {
  public static let kind = OpKind.l2Normalize
  public static let schema = OpSchema(
    summary: "Unit L2 norm over the channel axis, x / sqrt(sum(x²) + epsilon).",
    attributes: [.init("epsilon", "float", default: .float(1e-10), "Keeps the division finite for a zero input.")])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    guard inputShapes[0].count >= 2 else {
      throw OpShapeError("input must be [N, C, …], got shape \(inputShapes[0])")
    }
    return [inputShapes[0]]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    let x = inputs[0]
    let norm = (x.squared().sum(axes: [1], keepDims: true) + node.float("epsilon")).sqrt()
    return [x / norm]
  }
}
