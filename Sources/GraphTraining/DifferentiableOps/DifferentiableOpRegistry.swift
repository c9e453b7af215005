import Graph

/// The single list of differentiable op implementations, the training-side twin of Graph's
/// ``Graph/OpRegistry``. Adding an op is one file under `DifferentiableOps/` and one line here;
/// a test checks that every kind in ``Graph/OpRegistry/all`` appears here exactly once.
public enum DifferentiableOpRegistry {
  /// Every op's differentiable semantics, in ``Graph/OpKind`` order.
  public static let all: [any DifferentiableOpSemantics.Type] = [
    ConvOp.self,
    BatchNormOp.self,
    ReLUOp.self,
    ReLU6Op.self,
    LeakyReLUOp.self,
    SigmoidOp.self,
    TanhOp.self,
    MaxPoolOp.self,
    AvgPoolOp.self,
    GlobalAvgPoolOp.self,
    DenseOp.self,
    UpsampleOp.self,
    ConcatOp.self,
    AddOp.self,
    FlattenOp.self,
    ReshapeOp.self,
    L2NormalizeOp.self,
    DropoutOp.self,
    IdentityOp.self,
  ]

  private static let byKind: [OpKind: any DifferentiableOpSemantics.Type] = {
    var table: [OpKind: any DifferentiableOpSemantics.Type] = [:]
    for op in all { table[op.kind] = op }
    return table
  }()

  /// The differentiable semantics of `kind`.
  public static func semantics(for kind: OpKind) -> any DifferentiableOpSemantics.Type {
    guard let op = byKind[kind] else {
      preconditionFailure("DifferentiableOpRegistry: \(kind.rawValue) has no differentiable semantics; add it to DifferentiableOpRegistry.all")
    }
    return op
  }
}

extension OpKind {
  /// The op's differentiable semantics from ``DifferentiableOpRegistry``.
  public var differentiable: any DifferentiableOpSemantics.Type { DifferentiableOpRegistry.semantics(for: self) }
}
