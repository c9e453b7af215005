/// The single list of op semantics. Adding an op is one file under `Ops/` and one line here;
/// a test checks that every ``OpKind`` appears exactly once.
public enum OpRegistry {
  /// Every op's semantics, in ``OpKind`` order.
  public static let all: [any OpSemantics.Type] = [
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

  private static let byKind: [OpKind: any OpSemantics.Type] = {
    var table: [OpKind: any OpSemantics.Type] = [:]
    for op in all { table[op.kind] = op }
    return table
  }()

  /// The semantics of `kind`.
  public static func semantics(for kind: OpKind) -> any OpSemantics.Type {
    guard let op = byKind[kind] else {
      preconditionFailure("OpRegistry: \(kind.rawValue) has no semantics; add it to OpRegistry.all")
    }
    return op
  }
}
