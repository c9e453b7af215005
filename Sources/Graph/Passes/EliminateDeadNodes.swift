/// Removes nodes whose outputs no graph output depends on, with their values and parameters
/// (e.g. a training-only auxiliary head, or what remains after cutting a classifier off a
/// feature extractor).
///
///     x ─► A ─► B ─► out          x ─► A ─► B ─► out
///            └─► C ─► D (unused)   becomes   (C and D removed)
public enum EliminateDeadNodes: GraphPass {
  public static let name = "eliminate-dead-nodes"
  public static let summary = "Remove nodes that no graph output depends on."

  public static func run(_ graph: ModelGraph) throws -> ModelGraph {
    try graph.validate()
    var needed = Set(graph.outputs.map(\.name))
    var keep = Set<String>()
    for node in graph.nodes.reversed() where node.outputs.contains(where: needed.contains) {
      keep.insert(node.name)
      needed.formUnion(node.inputs)
    }
    guard keep.count < graph.nodes.count else { return graph }
    var result = graph
    let dead = graph.nodes.filter { !keep.contains($0.name) }
    let deadValues = Set(dead.flatMap(\.outputs))
    result.nodes.removeAll { !keep.contains($0.name) }
    result.values.removeAll { deadValues.contains($0.name) }
    for node in dead {
      for role in node.op.semantics.parameterRoles {
        result.parameters[Parameter.key(node: node.name, role: role)] = nil
      }
    }
    try result.validate()
    return result
  }
}
