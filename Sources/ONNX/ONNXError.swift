/// Why an ONNX file could not be imported. Each message names the file's node and op where
/// there is one, and says what is supported, so the user can change the exporter's settings
/// or the model.
public enum ONNXImportError: Error, CustomStringConvertible, Equatable {
  /// The bytes are not an ONNX model (not protobuf, truncated, no graph, external data).
  case malformed(String)
  /// The model imports operator sets this importer does not read.
  case unsupportedOpset(domain: String, version: Int, supported: String)
  /// A node's op has no Workbench counterpart.
  case unsupportedOp(node: String, op: String, supported: String)
  /// A node's op is known but one of its attributes or operand forms is not.
  case unsupportedAttribute(node: String, op: String, detail: String)
  /// A node reads a value nothing defines (dangling input, missing initializer).
  case missingValue(node: String, op: String, input: String)
  /// The translated graph did not validate (shapes that do not fit, names used twice).
  case invalidGraph(String)

  public var description: String {
    switch self {
    case let .malformed(reason):
      return "The file is not a usable ONNX model: \(reason)."
    case let .unsupportedOpset(domain, version, supported):
      let name = domain.isEmpty ? "ai.onnx" : domain
      return "The model uses operator set \(name) version \(version); this importer reads \(supported)."
    case let .unsupportedOp(node, op, supported):
      return "node \(node): op \(op) is not supported; supported ops: \(supported)."
    case let .unsupportedAttribute(node, op, detail):
      return "node \(node): \(op) \(detail)."
    case let .missingValue(node, op, input):
      return
        "node \(node) (\(op)) reads '\(input)', which is neither a graph input, an initializer nor the output of an earlier node (the file is incomplete or not topologically sorted)."
    case let .invalidGraph(reason):
      return "The imported graph is not valid: \(reason)"
    }
  }
}

/// Why a graph could not be exported to ONNX.
public struct ONNXExportError: Error, CustomStringConvertible, Equatable {
  /// The node concerned, or the graph's name.
  public var subject: String
  /// What is wrong, as a sentence fragment.
  public var reason: String

  /// Creates an error about `subject`.
  public init(_ subject: String, _ reason: String) {
    self.subject = subject
    self.reason = reason
  }

  public var description: String { "Cannot export \(subject) to ONNX: \(reason)." }
}
