import Tensors

/// Folds each BatchNorm that directly follows a convolution into that convolution, for
/// deployment (the GAP8 face-ID model is trained with BN and folded before quantization).
///
///     x ─► Conv(W, b) ─► c ─► BatchNorm(γ, β, μ, σ², ε) ─► y     becomes     x ─► Conv(W', b') ─► y
///
/// with, per output channel o, s_o = γ_o / √(σ²_o + ε) (the standard deviation, not the
/// variance), W'_o = s_o · W_o and b'_o = s_o · (b_o − μ_o) + β_o (b = 0 for a conv without bias).
/// The conv keeps its name (so `conv1.weight` stays `conv1.weight`) and now writes the BatchNorm's
/// output value; the BatchNorm node and its parameters disappear. A BatchNorm whose input is not
/// a conv output read only by it is left alone, and so is one whose conv or BatchNorm has integer
/// (quantized) parameters: folding is float arithmetic, done before quantization. Graphs without
/// parameter values fold their shapes only (useful for deployed-size cost analysis).
public enum FoldBatchNorm: GraphPass {
  public static let name = "fold-batchnorm"
  public static let summary = "Fold BatchNorm into the preceding convolution (W·γ/√(σ²+ε), bias adjusted)."

  public static func run(_ graph: ModelGraph) throws -> ModelGraph {
    try graph.validate()
    var readers: [String: Int] = [:]
    for node in graph.nodes { for input in node.inputs { readers[input, default: 0] += 1 } }
    let outputs = Set(graph.outputs.map(\.name))
    var result = graph
    var removed = Set<String>()
    for bn in graph.nodes where bn.op == .batchNorm {
      guard let convIndex = result.nodes.firstIndex(where: { $0.op == .conv && $0.outputs == bn.inputs }),
        readers[bn.inputs[0]] == 1, !outputs.contains(bn.inputs[0]),
        allFloat(result, [result.nodes[convIndex].name, bn.name])
      else { continue }
      fold(bn, into: convIndex, of: &result)
      removed.insert(bn.name)
    }
    guard !removed.isEmpty else { return graph }
    result.nodes.removeAll { removed.contains($0.name) }
    try result.validate()
    return result
  }

  /// Whether every parameter of the named nodes is float32.
  private static func allFloat(_ graph: ModelGraph, _ nodes: [String]) -> Bool {
    graph.nodes.filter { nodes.contains($0.name) }.allSatisfy { node in
      graph.parameters(of: node).allSatisfy { $0.parameter.elementType == .float32 }
    }
  }

  private static func fold(_ bn: Node, into convIndex: Int, of graph: inout ModelGraph) {
    var conv = graph.nodes[convIndex]
    let key = { (node: String, role: String) in Parameter.key(node: node, role: role) }
    let oldOutput = conv.outputs[0]
    conv.outputs = bn.outputs
    let hadBias = conv.bool("bias")
    conv.attributes["bias"] = .bool(true)
    graph.nodes[convIndex] = conv
    graph.values.removeAll { $0.name == oldOutput }
    guard let weight = graph.parameters[key(conv.name, "weight")] else { return }
    let channels = weight.shape[0]
    var bias = graph.parameters[key(conv.name, "bias")] ?? Parameter(shape: [channels])
    let bnKeys = ["weight", "bias", "running_mean", "running_var"].map { key(bn.name, $0) }
    let values = bnKeys.map { graph.parameters[$0]?.value }
    for k in bnKeys { graph.parameters[k] = nil }
    var newWeight = weight
    if let w = weight.value, let gamma = values[0], let beta = values[1], let mean = values[2], let variance = values[3]
    {
      let eps = bn.float("epsilon")
      let scale = (0..<channels).map { gamma.scalars[$0] / (variance.scalars[$0] + eps).squareRoot() }
      let perChannel = w.count / channels
      var scaled = w.scalars
      for o in 0..<channels {
        for i in 0..<perChannel { scaled[o * perChannel + i] *= scale[o] }
      }
      newWeight.value = Tensor(shape: w.shape, scalars: scaled)
      let b =
        hadBias ? bias.value?.scalars ?? [Float](repeating: 0, count: channels) : [Float](repeating: 0, count: channels)
      bias.value = Tensor(
        shape: [channels],
        scalars: (0..<channels).map { o in
          scale[o] * (b[o] - mean.scalars[o]) + beta.scalars[o]
        })
    } else {
      newWeight.value = nil
      bias.value = nil
    }
    graph.parameters[key(conv.name, "weight")] = newWeight
    graph.parameters[key(conv.name, "bias")] = bias
  }
}
