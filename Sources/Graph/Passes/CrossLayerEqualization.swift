import Tensors

/// Cross-layer equalisation (Nagel et al. 2019, "Data-Free Quantization Through Weight
/// Equalization and Bias Correction", §4.1): rescales the channels between two consecutive
/// layers so that each channel's weight range is the same in both, which evens out per-tensor
/// weight ranges before quantization (it matters most after depthwise convolutions, whose
/// channel ranges differ by orders of magnitude in MobileNets).
///
///     x ─► L1(W1, b1) ─► a ─► f ─► … ─► L2(W2) ─► y
///
/// For positive s_i, a positively homogeneous f (f(x/s) = f(x)/s) commutes with the scaling, so
/// dividing output channel i of L1 (weights and bias) by s_i and multiplying input channel i of
/// L2 by s_i leaves y unchanged. With r1_i = max|W1 output channel i| and r2_i = max|W2 input
/// channel i|, the paper's choice s_i = √(r1_i·r2_i) / r2_i makes both ranges √(r1_i·r2_i).
/// Pairs are equalised in graph order and the whole graph is swept ``sweeps`` times (each pair
/// changes its neighbours' ranges; the paper iterates until nothing changes).
///
/// What may lie between L1 and L2 (each value read by exactly one node and not a graph output):
/// ReLU and leaky ReLU (any slope) and identity and dropout (f(x/s) = f(x)/s for s > 0); max,
/// average and global average pooling and nearest upsampling (per channel, positively
/// homogeneous, zero or −∞ padding); a flatten of a 1×1 map (channel i stays feature i). ReLU6
/// is *not* positively homogeneous (min(x/s, 6) ≠ min(x, 6)/s), and neither are sigmoid, tanh,
/// BatchNorm (fold it first) or add/concat (other readers of the channel): such pairs are left
/// alone, so the float function is preserved exactly (up to float rounding). The paper replaces
/// ReLU6 by ReLU for MobileNetV2, which changes the function; this pass does not.
///
/// L1 is a convolution (any groups; output channel i is weight row i) or a dense layer; L2 is a
/// convolution (input channel i is weight column i mod C/groups of the rows of its group, so
/// depthwise L2 scales whole rows) or a dense layer. A channel with r1_i = 0 or r2_i = 0 keeps
/// s_i = 1. Graphs without float parameter values are returned unchanged.
public enum CrossLayerEqualization: GraphPass {
  public static let name = "equalize"
  public static let summary =
    "Cross-layer equalisation: rescale channels between consecutive layers (Nagel et al. 2019)."

  /// Sweeps over all pairs in ``run(_:)``.
  public static let defaultSweeps = 8

  public static func run(_ graph: ModelGraph) throws -> ModelGraph {
    try equalize(graph, sweeps: defaultSweeps)
  }

  /// The graph with every equalisable pair equalised, sweeping `sweeps` times.
  /// - Throws: ``GraphValidationError`` when `graph` is invalid.
  public static func equalize(_ graph: ModelGraph, sweeps: Int) throws -> ModelGraph {
    try graph.validate()
    let pairs = EqualizationPair.all(in: graph)
    guard !pairs.isEmpty else { return graph }
    var result = graph
    for _ in 0..<max(sweeps, 0) {
      for pair in pairs { equalize(pair, in: &result) }
    }
    try result.validate()
    return result
  }

  /// The scales s_i of one pair given the two layers' weights (1 where a range is zero).
  public static func scales(first: [Float], second: [Float]) -> [Float] {
    zip(first, second).map { r1, r2 in
      guard r1 > 0, r2 > 0, r1.isFinite, r2.isFinite else { return 1 }
      return (r1 * r2).squareRoot() / r2
    }
  }

  /// Equalises one pair in place.
  static func equalize(_ pair: EqualizationPair, in graph: inout ModelGraph) {
    guard let w1 = graph.parameters[pair.firstWeight]?.value, let w2 = graph.parameters[pair.secondWeight]?.value
    else { return }
    let s = scales(first: pair.outputRanges(w1), second: pair.inputRanges(w2))
    guard s.contains(where: { $0 != 1 }) else { return }
    graph.parameters[pair.firstWeight]?.value = pair.scalingOutputs(w1, by: s.map { 1 / $0 })
    if let key = pair.firstBias, let b = graph.parameters[key]?.value {
      graph.parameters[key]?.value = Tensor(shape: b.shape, scalars: zip(b.scalars, s).map { $0 / $1 })
    }
    graph.parameters[pair.secondWeight]?.value = pair.scalingInputs(w2, by: s)
  }
}
