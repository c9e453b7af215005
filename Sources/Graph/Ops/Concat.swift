import Tensors

/// Joins inputs along an axis (channels by default), e.g. the two expand branches of a
/// SqueezeNet fire module (Iandola et al. 2016) or a YOLOv3 route.
public enum ConcatOp: OpSemantics {
  public static let kind = OpKind.concat
  public static let schema = OpSchema(
    summary: "Concatenation along an axis (channels by default).",
    inputCount: 2...Int.max,
    attributes: [
      .init("axis", "int", default: .int(1), "The axis joined; 1 is channels. The batch axis 0 is not allowed.")
    ])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let first = inputShapes[0], axis = node.int("axis")
    guard axis >= 1, axis < first.count else {
      throw OpShapeError("axis \(axis) must be between 1 and \(first.count - 1) for rank-\(first.count) inputs")
    }
    var out = first
    for (i, s) in inputShapes.enumerated().dropFirst() {
      let agrees = s.count == first.count && s.indices.allSatisfy { $0 == axis || s[$0] == first[$0] }
      guard agrees else {
        throw OpShapeError("input \(i) has shape \(s), which differs from input 0's \(first) outside axis \(axis)")
      }
      out[axis] += s[axis]
    }
    return [out]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [Tensor.concat(inputs, axis: node.int("axis"))]
  }
}
