import Tensors

/// Batch normalisation over channels (Ioffe & Szegedy, ICML 2015): in inference,
/// y = γ · (x − μ) / √(σ² + ε) + β per channel with the running statistics μ, σ².
///
/// Parameters use PyTorch's names: `weight` (γ), `bias` (β) trainable; `running_mean`,
/// `running_var` buffers (not counted as parameters). ``FoldBatchNorm`` removes it before
/// deployment.
public enum BatchNormOp: OpSemantics {
  public static let kind = OpKind.batchNorm
  public static let schema = OpSchema(
    summary: "Batch normalisation over the channel axis (Ioffe & Szegedy 2015).",
    attributes: [
      .init("epsilon", "float", default: .float(1e-5), "Added to the variance before the square root."),
      .init("momentum", "float", default: .float(0.1), "Weight of a new batch in the running statistics (PyTorch's)."),
    ])
  public static let parameterRoles = ["weight", "bias", "running_mean", "running_var"]

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let x = inputShapes[0]
    guard x.count == 2 || x.count == 4 else {
      throw OpShapeError("input must be [N, C] or [N, C, H, W], got shape \(x)")
    }
    guard node.float("epsilon") > 0 else { throw OpShapeError("attribute 'epsilon' must be positive") }
    return [x]
  }

  public static func parameterSpecs(_ node: Node, inputShapes: [[Int]]) -> [ParameterSpec] {
    let c = inputShapes[0][1]
    return [
      ParameterSpec("weight", [c], initializer: .ones),
      ParameterSpec("bias", [c], initializer: .zeros),
      ParameterSpec("running_mean", [c], kind: .buffer, initializer: .zeros),
      ParameterSpec("running_var", [c], kind: .buffer, initializer: .ones),
    ]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    guard let gamma = parameters["weight"], let beta = parameters["bias"],
      let mean = parameters["running_mean"], let variance = parameters["running_var"]
    else { preconditionFailure("BatchNorm \(node.name): missing parameters") }
    let x = inputs[0]
    let bshape = [1, x.shape[1]] + [Int](repeating: 1, count: x.rank - 2)
    let eps = node.float("epsilon")
    let scale = Tensor.zip(gamma, variance) { g, v in g / (v + eps).squareRoot() }
    let shift = beta - scale * mean
    return [x * scale.reshaped(bshape) + shift.reshaped(bshape)]
  }
}
