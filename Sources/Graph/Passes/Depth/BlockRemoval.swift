/// Depth pruning: removing whole blocks whose input and output have the same shape, so the
/// rest of the graph reads the block's input instead of its output.
///
/// Two kinds of block are found:
/// - a **residual branch**: the nodes between a value `x` and an `Add(x, branch(x))` — removing
///   the branch and the Add leaves `x` (Veit, Wilber & Belongie, "Residual Networks Behave Like
///   Ensembles of Relatively Shallow Networks", NeurIPS 2016, show single residual blocks can be
///   dropped at test time with a small loss);
/// - a **sequential block**: a convolution followed by an optional BatchNorm and an optional
///   activation, each intermediate value read only by the next node, whose input and output
///   shapes agree (what a plain stack of equal-width layers has).
///
/// Blocks are ranked by sensitivity like channel groups (``rankedBySensitivity(_:kpi:)``: the
/// KPI with that block alone removed, without fine-tuning), and the least sensitive removed
/// before fine-tuning. Output layers and graph inputs are never part of a block.
public enum BlockRemoval {
  /// A removable block.
  public struct Block: Codable, Equatable, Sendable {
    /// How the block sits in the graph.
    public enum Kind: String, Codable, Sendable {
      case residualBranch = "residual_branch", sequential
    }
    /// The block's id: its last node (the Add for a residual branch).
    public var id: String
    /// The nodes removed, in graph order.
    public var nodes: [String]
    /// The value the rest of the graph reads instead of ``output``.
    public var input: String
    /// The block's output value.
    public var output: String
    /// Residual branch or sequential block.
    public var kind: Kind
  }

  /// The removable blocks of `graph`, in graph order.
  public static func blocks(_ graph: ModelGraph) -> [Block] {
    let producer = Dictionary(graph.nodes.flatMap { n in n.outputs.map { ($0, n) } }, uniquingKeysWith: { a, _ in a })
    var readers: [String: Int] = [:]
    for node in graph.nodes { for input in node.inputs { readers[input, default: 0] += 1 } }
    let outputs = Set(graph.outputs.map(\.name)), shapes = graph.valueShapes
    let followers: Set<OpKind> = [.batchNorm, .relu, .relu6, .leakyRelu, .sigmoid, .tanh]
    var found: [Block] = []
    for node in graph.nodes {
      if node.op == .add, node.inputs.count == 2, !outputs.contains(node.outputs[0]) {
        for (skip, branch) in [(node.inputs[0], node.inputs[1]), (node.inputs[1], node.inputs[0])] {
          // walk back from the branch end through single-input nodes read only once
          var chain: [Node] = [], value = branch
          while value != skip, let p = producer[value], p.inputs.count == 1, readers[value] == 1,
            !outputs.contains(value)
          {
            chain.insert(p, at: 0)
            value = p.inputs[0]
          }
          if value == skip, !chain.isEmpty, shapes[skip] == shapes[node.outputs[0]] {
            found.append(
              Block(
                id: node.name, nodes: chain.map(\.name) + [node.name], input: skip, output: node.outputs[0],
                kind: .residualBranch))
            break
          }
        }
      }
      guard node.op == .conv else { continue }
      var chain = [node], value = node.outputs[0]
      while readers[value] == 1, !outputs.contains(value),
        let next = graph.nodes.first(where: { $0.inputs == [value] }), followers.contains(next.op),
        next.op != .batchNorm || chain.count == 1, chain.last?.op == .conv || chain.last?.op == .batchNorm
      {
        chain.append(next)
        value = next.outputs[0]
      }
      if shapes[node.inputs[0]] == shapes[value], !outputs.contains(value), let last = chain.last {
        found.append(
          Block(id: last.name, nodes: chain.map(\.name), input: node.inputs[0], output: value, kind: .sequential))
      }
    }
    return found
  }

  /// `graph` without the blocks `ids` (removed in order; a block whose nodes an earlier one
  /// already removed is skipped): their nodes, parameters and values are gone and every reader
  /// of a block's output reads its input.
  /// - Throws: ``PruningError/unknownGroup(_:known:)`` for an id that is not a block of `graph`;
  ///   ``GraphValidationError`` (a bug) when the result does not validate.
  public static func remove(_ graph: ModelGraph, blocks ids: [String]) throws -> ModelGraph {
    let known = blocks(graph).map(\.id)
    var result = graph
    for id in ids {
      guard known.contains(id) else { throw PruningError.unknownGroup(id, known: known) }
      guard let block = blocks(result).first(where: { $0.id == id }) else { continue }
      let removed = Set(block.nodes)
      var produced = Set<String>()
      for node in result.nodes where removed.contains(node.name) {
        produced.formUnion(node.outputs)
        for p in result.parameters(of: node) { result.parameters[p.name] = nil }
      }
      result.nodes.removeAll { removed.contains($0.name) }
      for i in result.nodes.indices {
        result.nodes[i].inputs = result.nodes[i].inputs.map { $0 == block.output ? block.input : $0 }
      }
      result.values.removeAll { produced.contains($0.name) }
    }
    try result.validate()
    return result
  }

  /// Every block of `graph` with the KPI of the graph without it (no fine-tuning), least
  /// sensitive (highest KPI) first, ties in graph order: the order in which to remove blocks.
  /// - Parameter kpi: evaluates a graph on the caller's fixed validation subset; higher is better.
  public static func rankedBySensitivity(_ graph: ModelGraph, kpi: (ModelGraph) throws -> Double) throws
    -> [(block: Block, kpi: Double)]
  {
    let scored = try blocks(graph).map { ($0, try kpi(try remove(graph, blocks: [$0.id]))) }
    return scored.enumerated().sorted { a, b in
      a.element.1 != b.element.1 ? a.element.1 > b.element.1 : a.offset < b.offset
    }.map { (block: $0.element.0, kpi: $0.element.1) }
  }
}
