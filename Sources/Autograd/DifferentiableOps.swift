/// The single list of differentiable op names recorded on the tape. The gradient-check test
/// asserts that its table exercises every one of them, so an op cannot be added untested.
public enum DifferentiableOps {
  public static let all: [String] = [
    "add", "sub", "mul", "div", "neg", "addScalar", "mulScalar",
    "relu", "relu6", "leakyRelu", "sigmoid", "tanh", "exp", "log", "sqrt", "abs", "square", "clamp", "pow",
    "sum", "max", "softmax", "logSoftmax", "matmul", "dense",
    "conv2d", "maxPool2d", "avgPool2d", "upsample",
    "reshape", "transpose", "concat", "slice", "pad", "batchNorm", "batchNormRelu", "batchNormLeakyRelu",
    "batchNormMaxPool",
  ]
}
