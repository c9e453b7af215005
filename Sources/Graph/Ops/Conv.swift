import Tensors

/// 2-D convolution, NCHW input, OIHW weight `[outChannels, inChannels / groups, kH, kW]`, with
/// stride, asymmetric padding, dilation and groups (depthwise when `groups == inChannels`, as in
/// MobileNets, Howard et al. 2017).
///
/// MACs = outChannels · outH · outW · (inChannels / groups) · kH · kW; the bias add is not
/// counted (the convention of the SqueezeNet and MobileNet papers).
public enum ConvOp: OpSemantics {
  public static let kind = OpKind.conv
  public static let schema = OpSchema(
    summary: "2-D convolution with groups, stride, padding and dilation.",
    attributes: [
      .init("outChannels", "int", default: nil, "Number of output channels (filters)."),
      .init("kernel", "ints", default: nil, "Kernel size, [height, width]."),
      CommonAttributes.stride,
      CommonAttributes.padding,
      .init("dilation", "ints", default: .ints([1, 1]), "Spacing between kernel taps, [height, width]."),
      .init("groups", "int", default: .int(1), "Channel groups; equal to the input channels for depthwise."),
      .init("bias", "bool", default: .bool(true), "Whether the convolution adds a learned bias."),
    ])
  public static let parameterRoles = ["weight", "bias"]

  public static func inferShapes(_ node: Node, inputShapes: [[Int]]) throws -> [[Int]] {
    let x = inputShapes[0]
    try ShapeCheck.rank(x, 4)
    try ShapeCheck.positive(node, "outChannels")
    try ShapeCheck.positive(node, "groups")
    try ShapeCheck.pairs(node, ["kernel", "stride", "dilation"])
    try ShapeCheck.pairs(node, ["padding"], count: 4, positive: false)
    let (c, o, g) = (x[1], node.int("outChannels"), node.int("groups"))
    guard c % g == 0, o % g == 0 else {
      throw OpShapeError("groups=\(g) must divide both the input channels (\(c)) and outChannels (\(o))")
    }
    let k = node.ints("kernel")
    let (oh, ow) = node.convParameters.outputSize(h: x[2], w: x[3], kh: k[0], kw: k[1])
    guard oh > 0, ow > 0 else {
      throw OpShapeError(
        "a \(k[0])×\(k[1]) kernel does not fit the \(x[2])×\(x[3]) input with this stride, padding and dilation")
    }
    return [[x[0], o, oh, ow]]
  }

  public static func parameterSpecs(_ node: Node, inputShapes: [[Int]]) -> [ParameterSpec] {
    let k = node.ints("kernel"), g = node.int("groups"), o = node.int("outChannels")
    var specs = [ParameterSpec("weight", [o, inputShapes[0][1] / g, k[0], k[1]], initializer: .kaimingUniform)]
    if node.bool("bias") { specs.append(ParameterSpec("bias", [o], initializer: .zeros)) }
    return specs
  }

  public static func macs(_ node: Node, inputShapes: [[Int]], outputShapes: [[Int]]) -> Int {
    let y = outputShapes[0], k = node.ints("kernel")
    return y[1] * y[2] * y[3] * (inputShapes[0][1] / node.int("groups")) * k[0] * k[1]
  }

  public static func evaluate(_ node: Node, inputs: [Tensor<Float>], parameters: [String: Tensor<Float>]) -> [Tensor<
    Float
  >] {
    guard let w = parameters["weight"] else { preconditionFailure("Conv \(node.name): no weight") }
    return [Conv2D.forward(inputs[0], weight: w, bias: parameters["bias"], node.convParameters)]
  }
}
