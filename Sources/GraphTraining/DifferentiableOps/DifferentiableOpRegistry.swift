import Graph

/// The differentiable op implementations, the training-side twin of Graph's
/// ``Graph/OpRegistry``: Graph's one list, each op type seen through its
/// ``DifferentiableOpSemantics`` conformance (an extension in `DifferentiableOps/`). Adding an op
/// is its file in Graph, one line in `OpRegistry.all`, and its conformance file here; a test
/// checks that every kind in ``Graph/OpRegistry/all`` has one.
public enum DifferentiableOpRegistry {
  /// Every op's differentiable semantics, in ``Graph/OpKind`` order (ops without a
  /// conformance are missing, which the registry test catches).
  public static let all: [any DifferentiableOpSemantics.Type] = OpRegistry.all.compactMap {
    $0 as? any DifferentiableOpSemantics.Type
  }

  private static let byKind: [OpKind: any DifferentiableOpSemantics.Type] = {
    var table: [OpKind: any DifferentiableOpSemantics.Type] = [:]
    for op in all { table[op.kind] = op }
    return table
  }()

  /// The differentiable semantics of `kind`.
  public static func semantics(for kind: OpKind) -> any DifferentiableOpSemantics.Type {
    guard let op = byKind[kind] else {
      preconditionFailure(
        "DifferentiableOpRegistry: \(kind.rawValue) has no differentiable semantics; add it to DifferentiableOpRegistry.all"
      )
    }
    return op
  }
}

extension OpKind {
  /// The op's differentiable semantics from ``DifferentiableOpRegistry``.
  public var differentiable: any DifferentiableOpSemantics.Type { DifferentiableOpRegistry.semantics(for: self) }
}
