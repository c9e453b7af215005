/// Graphviz DOT text for reports (`dot -Tsvg`).
extension ModelGraph {
  /// The graph as a DOT `digraph`: inputs and outputs as parallelograms, nodes as boxes
  /// labelled with name, op and output shape.
  public func dot() -> String {
    func quoted(_ s: String) -> String {
      "\""
        + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        .replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
    var lines = [
      "digraph \(quoted(name)) {",
      "  rankdir=TB;",
      "  node [shape=box, fontname=\"Helvetica\"];",
    ]
    for input in inputs {
      lines.append(
        "  \(quoted(input.name)) [shape=parallelogram, label=\(quoted("\(input.name)\n\(shapeLabel(input.name))"))];")
    }
    for node in nodes {
      lines.append(
        "  \(quoted(node.name)) [label=\(quoted("\(node.name)\n\(opLabel(node))\n\(shapeLabel(node.outputs[0]))"))];")
    }
    for output in outputs {
      let label = "\(output.name) (\(output.role.rawValue))\n\(shapeLabel(output.name))"
      lines.append("  \(quoted("output:" + output.name)) [shape=parallelogram, label=\(quoted(label))];")
    }
    for edge in renderEdges() { lines.append("  \(quoted(edge.from)) -> \(quoted(edge.to));") }
    lines.append("}")
    return lines.joined(separator: "\n") + "\n"
  }
}
