import Graph

/// Who produces and who reads each value of a graph, for the quantizers' rewrites.
struct GraphLinks {
  /// The node producing each value.
  let producer: [String: Node]
  /// The nodes reading each value, once per use.
  let readers: [String: [Node]]
  /// The graph's output values.
  let outputs: Set<String>

  init(_ graph: ModelGraph) {
    var producer: [String: Node] = [:], readers: [String: [Node]] = [:]
    for node in graph.nodes {
      for output in node.outputs { producer[output] = node }
      for input in node.inputs { readers[input, default: []].append(node) }
    }
    self.producer = producer
    self.readers = readers
    outputs = Set(graph.outputs.map(\.name))
  }

  /// Whether `value` is read exactly once and is not a graph output.
  func isPrivate(_ value: String) -> Bool { readers[value]?.count == 1 && !outputs.contains(value) }

  /// The conv or dense layer that `value` comes from through ops in `through` only, each
  /// intermediate value read only by the next op and `value` read only once, with the values
  /// on the way (`value` first, the layer's output last); nil when there is none.
  func foldChain(from value: String, through: Set<OpKind>) -> (layer: String, values: [String])? {
    var current = value, chain = [value]
    while isPrivate(current), let node = producer[current] {
      if node.op == .conv || node.op == .dense { return (node.name, chain) }
      guard through.contains(node.op), let input = node.inputs.first else { return nil }
      current = input
      chain.append(current)
    }
    return nil
  }
}
