/// Mermaid flowchart text for reports (renders in GitHub Markdown and the HTML report).
extension ModelGraph {
  /// The graph as a Mermaid `flowchart TD`: inputs and outputs as parallelograms, nodes as
  /// boxes labelled with name, op and output shape.
  public func mermaid() -> String {
    var ids: [String: String] = [:]
    func id(_ name: String) -> String {
      if let existing = ids[name] { return existing }
      var safe = "n_" + String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
      while ids.values.contains(safe) { safe += "_" }
      ids[name] = safe
      return safe
    }
    func text(_ s: String) -> String { s.replacingOccurrences(of: "\"", with: "#quot;") }
    var lines = ["flowchart TD"]
    for input in inputs {
      lines.append("  \(id(input.name))[/\"\(text(input.name))<br/>\(shapeLabel(input.name))\"/]")
    }
    for node in nodes {
      lines.append(
        "  \(id(node.name))[\"\(text(node.name))<br/>\(text(opLabel(node)))<br/>\(shapeLabel(node.outputs[0]))\"]")
    }
    for output in outputs {
      lines.append(
        "  \(id("output:" + output.name))[/\"\(text(output.name)) (\(output.role.rawValue))<br/>\(shapeLabel(output.name))\"/]"
      )
    }
    for edge in renderEdges() { lines.append("  \(id(edge.from)) --> \(id(edge.to))") }
    return lines.joined(separator: "\n") + "\n"
  }
}
