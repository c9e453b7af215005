/// One broken invariant of a graph, naming the node (when there is one) and saying what is
/// wrong in a sentence a user can act on.
public struct GraphIssue: Equatable, Sendable, CustomStringConvertible {
  /// The node concerned, or nil for graph-level problems (inputs, outputs, parameters).
  public var node: String?
  /// What is wrong.
  public var message: String

  /// Creates an issue.
  public init(node: String?, _ message: String) {
    self.node = node
    self.message = message
  }

  public var description: String {
    node.map { "Node '\($0)': \(message)" } ?? message
  }
}

/// A graph that failed validation, with every issue found (not just the first).
public struct GraphValidationError: Error, CustomStringConvertible, Equatable {
  /// The graph's name.
  public var graph: String
  /// Every broken invariant, in node order.
  public var issues: [GraphIssue]

  /// Creates an error.
  public init(graph: String, issues: [GraphIssue]) {
    self.graph = graph
    self.issues = issues
  }

  public var description: String {
    "Graph '\(graph)' is invalid (\(issues.count) problem\(issues.count == 1 ? "" : "s")):\n"
      + issues.map { "  - \($0)" }.joined(separator: "\n")
  }
}
