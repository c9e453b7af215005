import Tensors

/// Low-rank factorisation of convolutions: a k×k convolution with N filters over C channels is
/// replaced by a k×k convolution to r channels followed by a 1×1 convolution to N channels.
///
/// Zhang, Zou, He & Sun, "Accelerating Very Deep Convolutional Networks for Classification and
/// Detection", TPAMI 2016 (arXiv 2015), §3 and Jaderberg, Vedaldi & Zisserman, "Speeding up
/// Convolutional Neural Networks with Low Rank Expansions", BMVC 2014: the filters, reshaped to
/// the N × (C·k·k) matrix W, are approximated by the truncated SVD W ≈ U_r·Σ_r·V_rᵀ (the best
/// rank-r approximation, Eckart–Young). Here the factors share √Σ_r:
///
///     first  = √Σ_r · V_rᵀ   reshaped to [r, C, k, k]   (stride, padding and dilation of the original)
///     second = U_r · √Σ_r    reshaped to [N, r, 1, 1]   (the original bias)
///
/// so a weight of rank ≤ r is reproduced exactly. MACs per output position drop from N·C·k² to
/// r·(C·k² + N), a saving when r < N·C·k² / (C·k² + N) (``usefulRank(_:)``). The 1×1
/// convolution keeps the original node's name, output value and bias, so BatchNorms, consumers
/// and channel groups see the same node; the k×k one is named `<node>_lr`.
public enum LowRankFactorization {
  /// A convolution that can be factorised: groups = 1, a kernel larger than 1×1, float values.
  public static func candidates(_ graph: ModelGraph) -> [Node] {
    graph.nodes.filter { node in
      guard node.op == .conv, node.int("groups") == 1, node.ints("kernel").reduce(1, *) > 1 else { return false }
      return graph.parameters[Parameter.key(node: node.name, role: "weight")]?.value != nil
    }
  }

  /// The largest rank whose factorisation has fewer MACs than `conv`: the largest r with
  /// r·(C·k² + N) < N·C·k² (0 when none).
  public static func usefulRank(_ conv: Node, in graph: ModelGraph) -> Int {
    guard let w = graph.parameters[Parameter.key(node: conv.name, role: "weight")] else { return 0 }
    let (n, columns) = (w.shape[0], w.shape.dropFirst().reduce(1, *))
    return (n * columns - 1) / (columns + n)
  }

  /// The SVD of `conv`'s weight reshaped to N × (C·k·k).
  /// - Throws: ``PruningError/missingValue(_:)`` without values; ``SingularValueDecomposition/Failure``.
  public static func decomposition(_ conv: Node, in graph: ModelGraph) throws -> SingularValueDecomposition {
    let key = Parameter.key(node: conv.name, role: "weight")
    guard let w = graph.parameters[key]?.value else { throw PruningError.missingValue(key) }
    return try SingularValueDecomposition(
      w.scalars.map(Double.init), rows: w.shape[0], columns: w.shape.dropFirst().reduce(1, *))
  }

  /// The smallest rank whose singular values keep at least `energy` of Σσ² (Zhang et al.'s
  /// PCA-energy criterion); at least 1.
  public static func rank(forEnergy energy: Double, singularValues σ: [Double]) -> Int {
    let total = σ.reduce(0) { $0 + $1 * $1 }
    guard total > 0 else { return 1 }
    var kept = 0.0
    for (i, s) in σ.enumerated() {
      kept += s * s
      if kept >= energy * total * (1 - 1e-12) { return i + 1 }
    }
    return σ.count
  }

  /// `graph` with each named convolution factorised at its rank (names not listed, and ranks
  /// at or above min(N, C·k²), are left alone).
  /// - Throws: ``PruningError`` for an unknown or unsuitable node; what the SVD throws.
  public static func factorize(_ graph: ModelGraph, ranks: [String: Int]) throws -> ModelGraph {
    let suitable = Dictionary(candidates(graph).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    var result = graph
    for name in ranks.keys.sorted() {
      guard let conv = suitable[name], let rank = ranks[name] else {
        throw PruningError.unknownGroup(name, known: suitable.keys.sorted())
      }
      let svd = try decomposition(conv, in: graph)
      guard rank >= 1, rank < svd.singularValues.count else { continue }
      try replace(conv, rank: rank, svd: svd, in: &result)
    }
    try result.validate()
    return result
  }

  /// Puts the two convolutions in place of `conv`.
  private static func replace(_ conv: Node, rank r: Int, svd: SingularValueDecomposition, in graph: inout ModelGraph)
    throws
  {
    let (n, columns, k) = (svd.rows, svd.columns, svd.singularValues.count)
    let kernel = conv.ints("kernel")
    let c = columns / kernel.reduce(1, *)
    let root = svd.singularValues.prefix(r).map { $0.squareRoot() }
    var first = [Float](repeating: 0, count: r * columns), second = [Float](repeating: 0, count: n * r)
    for i in 0..<r { for j in 0..<columns { first[i * columns + j] = Float(root[i] * svd.vt[i * columns + j]) } }
    for o in 0..<n { for i in 0..<r { second[o * r + i] = Float(svd.u[o * k + i] * root[i]) } }
    let name = conv.name + "_lr"
    guard let index = graph.nodes.firstIndex(where: { $0.name == conv.name }),
      let outShape = graph.values.first(where: { $0.name == conv.outputs[0] })?.shape
    else { throw PruningError.unknownGroup(conv.name, known: []) }
    var reduce = conv
    reduce.name = name
    reduce.outputs = [name]
    reduce.attributes["outChannels"] = .int(r)
    reduce.attributes["bias"] = .bool(false)
    var expand = conv
    expand.inputs = [name]
    expand.attributes = [
      "outChannels": .int(n), "kernel": .ints([1, 1]), "bias": .bool(conv.bool("bias")),
    ]
    graph.nodes.replaceSubrange(index...index, with: [reduce, expand])
    var shape = outShape
    shape[1] = r
    let at = graph.values.firstIndex { $0.name == conv.outputs[0] } ?? graph.values.count
    graph.values.insert(ValueInfo(name: name, shape: shape), at: at)
    graph.parameters[Parameter.key(node: name, role: "weight")] = Parameter(
      shape: [r, c] + kernel, value: Tensor(shape: [r, c] + kernel, scalars: first))
    graph.parameters[Parameter.key(node: conv.name, role: "weight")] = Parameter(
      shape: [n, r, 1, 1], value: Tensor(shape: [n, r, 1, 1], scalars: second))
  }
}
