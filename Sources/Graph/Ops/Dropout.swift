import Tensors

/// Inverted dropout (Srivastava et al., JMLR 2014): in training each element is zeroed with
/// probability `rate` and the rest scaled by 1 / (1 − rate); in inference it is the identity.
/// SqueezeNet puts one (rate 0.5) before its classifier.
public enum DropoutOp: OpSemantics {
  public static let kind = OpKind.dropout
  public static let schema = OpSchema(
    summary: "Inverted dropout in training, identity in inference.",
    attributes: [.init("rate", "float", default: .float(0.5), "Probability of zeroing an element, in [0, 1).")])

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let rate = node.float("rate")
    guard rate >= 0, rate < 1 else { throw OpShapeError("attribute 'rate' must be in [0, 1), got \(rate)") }
    return [inputShapes[0]]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0]]
  }
}
