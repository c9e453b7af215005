/// Which ReLU/ReLU6 nodes run fused into the convolution or dense layer before them, as
/// integer inference engines do (TFLite, nncase, NNTool): the layer's requantization clamps to
/// the activation's range instead of writing an intermediate value.
extension ModelGraph {
  /// Conv or dense node name → the ReLU/ReLU6 node fused into it. A ReLU fuses when it is the
  /// only reader of the layer's output and that output is not a graph output (otherwise the
  /// unclamped value is needed by someone else).
  ///
  /// The int8/gap8-sq8 quantizers and quantization-aware training share this rule so that the
  /// simulated and the deployed model clamp at the same places.
  public func fusedReLUs() -> [String: String] {
    var readers: [String: [Node]] = [:]
    for node in nodes { for input in node.inputs { readers[input, default: []].append(node) } }
    let graphOutputs = Set(outputs.map(\.name))
    var fused: [String: String] = [:]
    for node in nodes where node.op == .conv || node.op == .dense {
      let out = node.outputs[0]
      if let r = readers[out], r.count == 1, r[0].op == .relu || r[0].op == .relu6, !graphOutputs.contains(out) {
        fused[node.name] = r[0].name
      }
    }
    return fused
  }
}
