import Charts
import Foundation

/// A box diagram of a model graph, read from the Mermaid flowchart text of `graph.mmd`.
///
/// Only the subset Graph's `mermaid()` writes is understood: `id["label"]`, `id[/"label"/]`
/// (inputs and outputs) and `a --> b`, with `<br/>` line breaks. Nodes are placed in layers by
/// their longest distance from an input and drawn top to bottom, so the diagram needs no
/// Mermaid runtime (no CDN) and renders to SVG and PNG like any chart.
public struct GraphDiagram: Sendable {
  /// A node: its Mermaid id, label lines and whether it is an input/output.
  public struct Node: Equatable, Sendable {
    /// The Mermaid id.
    public var id: String
    /// Label lines.
    public var lines: [String]
    /// Whether it was written as a parallelogram (graph inputs and outputs).
    public var isTerminal: Bool
  }

  /// Nodes in order of first appearance.
  public var nodes: [Node]
  /// Edges as (from, to) indices into `nodes`.
  public var edges: [(Int, Int)]

  /// Parses Mermaid flowchart text; `nil` when it has no nodes.
  public init?(mermaid: String) {
    var nodes: [Node] = []
    var index: [String: Int] = [:]
    var edges: [(Int, Int)] = []
    func add(_ text: String) -> Int? {
      guard let parsed = GraphDiagram.parseNode(text) else { return nil }
      if let i = index[parsed.id] {
        if !parsed.lines.isEmpty && nodes[i].lines == [parsed.id] { nodes[i] = parsed }
        return i
      }
      index[parsed.id] = nodes.count
      nodes.append(parsed.lines.isEmpty ? Node(id: parsed.id, lines: [parsed.id], isTerminal: false) : parsed)
      return nodes.count - 1
    }
    for raw in mermaid.split(whereSeparator: \.isNewline) {
      let line = raw.trimmingCharacters(in: .whitespaces)
      if line.isEmpty || line.hasPrefix("%%") || line.hasPrefix("flowchart") || line.hasPrefix("graph ") { continue }
      let parts = line.components(separatedBy: "-->")
      if parts.count >= 2 {
        var previous: Int? = nil
        for part in parts {
          var side = part.trimmingCharacters(in: .whitespaces)
          if side.hasPrefix("|"), let end = side.dropFirst().firstIndex(of: "|") {
            side = String(side[side.index(after: end)...]).trimmingCharacters(in: .whitespaces)
          }
          let node = add(side)
          if let a = previous, let b = node { edges.append((a, b)) }
          previous = node
        }
      } else {
        _ = add(line)
      }
    }
    guard !nodes.isEmpty else { return nil }
    self.nodes = nodes
    self.edges = edges
  }

  /// Parses `id`, `id["a<br/>b"]`, `id[/"x"/]`, `id(x)`.
  static func parseNode(_ text: String) -> Node? {
    let text = text.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: ";")))
    guard let open = text.firstIndex(where: { "[({>".contains($0) }) else {
      return text.isEmpty ? nil : Node(id: text, lines: [], isTerminal: false)
    }
    let id = String(text[..<open]).trimmingCharacters(in: .whitespaces)
    guard !id.isEmpty else { return nil }
    var label = String(text[text.index(after: open)...])
    let closers = CharacterSet(charactersIn: "])}")
    while let last = label.unicodeScalars.last, closers.contains(last) { label.removeLast() }
    let isTerminal = label.hasPrefix("/") || label.hasPrefix("\\")
    label = label.trimmingCharacters(in: CharacterSet(charactersIn: "/\\([{"))
    if label.hasPrefix("\"") && label.hasSuffix("\"") && label.count >= 2 {
      label = String(label.dropFirst().dropLast())
    }
    label = label.replacingOccurrences(of: "#quot;", with: "\"")
    let lines = label.replacingOccurrences(of: "<br/>", with: "\n").replacingOccurrences(of: "<br>", with: "\n")
      .split(separator: "\n").map(String.init)
    return Node(id: id, lines: lines, isTerminal: isTerminal)
  }
}
