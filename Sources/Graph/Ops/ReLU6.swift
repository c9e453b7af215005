import Tensors

/// ReLU clipped at 6, min(max(x, 0), 6), as in MobileNets (Howard et al. 2017).
public enum ReLU6Op: OpSemantics {
  public static let kind = OpKind.relu6
  public static let schema = OpSchema(
    summary: "ReLU clipped at 6, min(max(x, 0), 6), as in MobileNets (Howard et al. 2017).")

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] { [inputShapes[0]] }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    [inputs[0].relu6()]
  }
}
