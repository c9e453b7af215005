/// Checks every invariant of the graph and returns it unchanged (or throws the full list of
/// problems). Pipelines run it between passes.
public enum ValidateGraph: GraphPass {
  public static let name = "validate"
  public static let summary = "Check names, order, attributes, shapes and parameters; change nothing."

  public static func run(_ graph: ModelGraph) throws -> ModelGraph {
    try graph.validate()
    return graph
  }
}
