/// Text shared by the Mermaid and DOT renderers: node labels and edges between producers.
extension ModelGraph {
  /// The per-sample shape of `value` as `C×H×W`.
  func shapeLabel(_ value: String) -> String {
    (shape(of: value) ?? []).dropFirst().map(String.init).joined(separator: "×")
  }

  /// A short description of the node: op and its main geometry.
  func opLabel(_ node: Node) -> String {
    switch node.op {
    case .conv:
      let k = node.ints("kernel"), s = node.ints("stride"), g = node.int("groups")
      var label = "Conv \(k[0])×\(k[1])"
      if s != [1, 1] { label += " /\(s[0])" }
      if g > 1 { label += " g\(g)" }
      return label
    case .maxPool, .avgPool:
      let k = node.ints("kernel"), s = node.ints("stride")
      return "\(node.op.rawValue) \(k[0])×\(k[1]) /\(s[0])"
    default:
      return node.op.rawValue
    }
  }

  /// Producer → consumer edges by node (or input) name, in node order.
  func renderEdges() -> [(from: String, to: String)] {
    var producer: [String: String] = [:]
    for input in inputs { producer[input.name] = input.name }
    var edges: [(String, String)] = []
    for node in nodes {
      for input in node.inputs { if let p = producer[input] { edges.append((p, node.name)) } }
      for output in node.outputs { producer[output] = node.name }
    }
    for output in outputs { if let p = producer[output.name] { edges.append((p, "output:" + output.name)) } }
    return edges
  }
}
