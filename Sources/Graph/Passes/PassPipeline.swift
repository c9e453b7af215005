/// Runs passes in order, validating the graph after each one, and records what each changed
/// (for the run manifest and the report's pass log).
public struct PassPipeline {
  /// One pass's effect.
  public struct Entry: Codable, Equatable, Sendable {
    /// The pass name.
    public var pass: String
    /// Whether the graph changed.
    public var changed: Bool
    /// Node count before and after.
    public var nodes: [Int]
    /// Trainable parameter count before and after.
    public var parameters: [Int]
  }

  /// The passes, in order.
  public var passes: [any GraphPass.Type]

  /// Creates a pipeline.
  public init(_ passes: [any GraphPass.Type]) { self.passes = passes }

  /// Creates a pipeline from pass names (as in an experiment file).
  /// - Throws: ``GraphValidationError`` naming the unknown pass and listing the known ones.
  public init(names: [String]) throws {
    passes = try names.map { name in
      guard let pass = PassRegistry.pass(named: name) else {
        let known = PassRegistry.all.map { $0.name }.joined(separator: ", ")
        throw GraphValidationError(
          graph: "-", issues: [GraphIssue(node: nil, "There is no pass named '\(name)' (passes: \(known)).")])
      }
      return pass
    }
  }

  /// Runs every pass and returns the final graph with one log entry per pass.
  /// - Throws: the first error a pass throws, or ``GraphValidationError`` if a pass leaves the
  ///   graph invalid (a bug in that pass).
  public func run(_ graph: ModelGraph) throws -> (graph: ModelGraph, log: [Entry]) {
    var current = graph
    var log: [Entry] = []
    for pass in passes {
      let next = try pass.run(current)
      try next.validate()
      log.append(
        Entry(
          pass: pass.name, changed: next != current, nodes: [current.nodes.count, next.nodes.count],
          parameters: [Self.trainable(current), Self.trainable(next)]))
      current = next
    }
    return (current, log)
  }

  static func trainable(_ graph: ModelGraph) -> Int {
    graph.parameters.values.filter { $0.kind == .trainable }.map(\.count).reduce(0, +)
  }
}
