/// Why a kmodel could not be written, read or run. Messages are sentences that say what to change.
public enum KModelError: Error, Equatable, CustomStringConvertible {
  /// A graph node whose op (or the way it is used) the kmodel format cannot express.
  case unsupportedOp(node: String, op: String, reason: String)
  /// The graph as a whole does not fit the format (e.g. the first layer is not a KPU convolution).
  case unsupportedGraph(reason: String)
  /// A KPU layer field does not fit its register bits.
  case fieldOverflow(layer: String, field: String, value: Int, bits: Int)
  /// The feature maps do not fit the KPU RAM.
  case kpuMemory(String)
  /// The bytes are not a kmodel this reader understands, or are cut short.
  case malformed(String)
  /// The simulator was given the wrong input.
  case badInput(String)

  public var description: String {
    switch self {
    case let .unsupportedOp(node, op, reason):
      return "node '\(node)' (\(op)) cannot be written to a kmodel: \(reason)"
    case let .unsupportedGraph(reason): return "the graph cannot be written to a kmodel: \(reason)"
    case let .fieldOverflow(layer, field, value, bits):
      return
        "KPU layer '\(layer)': \(field) = \(value) does not fit its \(bits)-bit register field; make the layer smaller."
    case let .kpuMemory(message): return "KPU RAM: \(message)"
    case let .malformed(message): return "not a valid kmodel: \(message)"
    case let .badInput(message): return "kmodel input: \(message)"
    }
  }
}
