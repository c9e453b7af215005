/// The kinds of operation a ``Node`` can perform. Each kind's semantics (schema, shape
/// inference, cost, reference and differentiable evaluation) live in one file under `Ops/`,
/// listed once in ``OpRegistry``.
public enum OpKind: String, Codable, CaseIterable, Sendable {
  case conv = "Conv"
  case batchNorm = "BatchNorm"
  case relu = "ReLU"
  case relu6 = "ReLU6"
  case leakyRelu = "LeakyReLU"
  case sigmoid = "Sigmoid"
  case tanh = "Tanh"
  case maxPool = "MaxPool"
  case avgPool = "AvgPool"
  case globalAvgPool = "GlobalAvgPool"
  case dense = "Dense"
  case upsample = "Upsample"
  case concat = "Concat"
  case add = "Add"
  case flatten = "Flatten"
  case reshape = "Reshape"
  case l2Normalize = "L2Normalize"
  case dropout = "Dropout"
  case identity = "Identity"

  /// The op's semantics from ``OpRegistry``.
  public var semantics: any OpSemantics.Type { OpRegistry.semantics(for: self) }
}
