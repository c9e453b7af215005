/// A pure function graph → graph (DESIGN.md, "Passes"). A pass returns its input unchanged when
/// its pattern does not apply, and throws only when the input graph is invalid.
public protocol GraphPass {
  /// The name used on the command line and in pass logs, e.g. `"fold-batchnorm"`.
  static var name: String { get }
  /// One line saying what the pass does.
  static var summary: String { get }
  /// Runs the pass.
  /// - Throws: ``GraphValidationError`` when `graph` is invalid.
  static func run(_ graph: ModelGraph) throws -> ModelGraph
}

/// The single list of passes; a test checks names are unique and summaries present.
public enum PassRegistry {
  /// Every pass.
  public static let all: [any GraphPass.Type] = [
    ValidateGraph.self,
    FoldBatchNorm.self,
    EliminateDeadNodes.self,
    CrossLayerEqualization.self,
  ]

  /// The pass called `name`, if any.
  public static func pass(named name: String) -> (any GraphPass.Type)? { all.first { $0.name == name } }
}
