import Tensors

/// Structured channel pruning: removes whole channels of ``ChannelGroup``s from every producer
/// and consumer, so the pruned graph is smaller (fewer filters, fewer weight columns, fewer
/// MACs) and validates, evaluates and trains like any other.
///
/// For each removed channel `j` of a group: producers lose weight row and bias entry (and
/// `outChannels`/`outFeatures` drop), depthwise convolutions lose their filter and bias entry
/// (and `groups` follows the channel count), BatchNorms lose γ, β, running mean and variance,
/// and consumers lose the weight columns of that channel (H·W columns of a dense layer after
/// a Flatten of a C×H×W map). Concat, Add, pools and activations need no change: shapes are
/// inferred again. When the removed channels' activations are exactly zero (e.g. their filters,
/// biases and BatchNorm γ and β are zero, before a ReLU) the pruned graph computes the same
/// outputs. Graphs with shapes only are pruned too (for cost estimates); integer parameters
/// are refused.
///
/// This is a pure function like every ``GraphPass``, but it takes the channels to keep, so it
/// is not in the parameterless ``PassRegistry``.
public enum ChannelPruning {
  /// Prunes `graph`, keeping in each listed group the channels `keep[id]` (group channel
  /// indices; groups not listed keep everything).
  /// - Parameters:
  ///   - groups: the groups of `graph` (``ChannelDependencies/analyze(_:)``); computed when nil.
  /// - Throws: ``PruningError`` for unknown or fixed groups, empty, repeated or out-of-range
  ///   channel lists and integer parameters; ``GraphValidationError`` when `graph` is invalid.
  public static func prune(_ graph: ModelGraph, keep: [String: [Int]], groups: [ChannelGroup]? = nil) throws
    -> ModelGraph
  {
    let groups = try groups ?? ChannelDependencies.analyze(graph)
    let byID = Dictionary(groups.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    var removal: [String: (rows: Set<Int>, columns: Set<Int>)] = [:]
    for id in keep.keys.sorted() {
      guard let group = byID[id] else {
        throw PruningError.unknownGroup(id, known: groups.filter(\.isPrunable).map(\.id))
      }
      let kept = try checked(keep[id] ?? [], group)
      guard kept.count < group.channels else { continue }
      if let reason = group.fixedReason { throw PruningError.fixedGroup(id, reason: reason) }
      let removed = (0..<group.channels).filter { !kept.contains($0) }
      for slice in group.slices {
        let positions = removed.flatMap { slice.indices[$0] }
        if slice.role == .consumer {
          removal[slice.node, default: ([], [])].columns.formUnion(positions)
        } else {
          removal[slice.node, default: ([], [])].rows.formUnion(positions)
        }
      }
    }
    guard !removal.isEmpty else { return graph }
    var result = graph
    for index in result.nodes.indices {
      guard let cut = removal[result.nodes[index].name] else { continue }
      var node = result.nodes[index]
      try apply(cut, to: &node, in: &result)
      result.nodes[index] = node
    }
    try reinferShapes(&result)
    try result.validate()
    return result
  }

  /// The kept channels as a set, after checking them against the group.
  private static func checked(_ kept: [Int], _ group: ChannelGroup) throws -> Set<Int> {
    let set = Set(kept)
    let fail = { (m: String) in PruningError.badKeep(group: group.id, channels: group.channels, message: m) }
    guard !kept.isEmpty else { throw fail("keep at least one channel") }
    guard set.count == kept.count else { throw fail("a channel is listed twice in \(kept)") }
    if let bad = kept.first(where: { $0 < 0 || $0 >= group.channels }) {
      throw fail("channel \(bad) does not exist")
    }
    return set
  }

  /// Removes rows (axis 0 of every per-channel parameter) and columns (axis 1 of the weight)
  /// from one node and updates its channel attributes.
  private static func apply(_ cut: (rows: Set<Int>, columns: Set<Int>), to node: inout Node, in graph: inout ModelGraph)
    throws
  {
    for role in node.op.semantics.parameterRoles {
      let key = Parameter.key(node: node.name, role: role)
      guard var p = graph.parameters[key] else { continue }
      p = try p.removing(cut.rows, axis: 0, name: key)
      if role == "weight" && node.op != .batchNorm { p = try p.removing(cut.columns, axis: 1, name: key) }
      graph.parameters[key] = p
    }
    let rows = graph.parameters[Parameter.key(node: node.name, role: "weight")]?.shape[0]
    guard let rows, !cut.rows.isEmpty else { return }
    switch node.op {
    case .conv:
      if node.int("groups") > 1 { node.attributes["groups"] = .int(rows) }
      node.attributes["outChannels"] = .int(rows)
    case .dense:
      node.attributes["outFeatures"] = .int(rows)
    default: break
    }
  }

  /// Infers every value's shape again, in node order, from the graph inputs.
  private static func reinferShapes(_ graph: inout ModelGraph) throws {
    var shapes = Dictionary(graph.inputs.map { ($0.name, $0.shape) }, uniquingKeysWith: { a, _ in a })
    for node in graph.nodes {
      let inputShapes = node.inputs.compactMap { shapes[$0] }
      do {
        let outputs = try node.op.semantics.inferShapes(node, inputShapes: inputShapes)
        for (name, shape) in zip(node.outputs, outputs) { shapes[name] = shape }
      } catch {
        throw GraphValidationError(
          graph: graph.name, issues: [GraphIssue(node: node.name, "after pruning, \(error) (a pruning bug).")])
      }
    }
    for i in graph.values.indices { graph.values[i].shape = shapes[graph.values[i].name] ?? graph.values[i].shape }
    for i in graph.outputs.indices { graph.outputs[i].shape = shapes[graph.outputs[i].name] ?? graph.outputs[i].shape }
  }
}
