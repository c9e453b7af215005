import Foundation

/// Any JSON value: used for the resolved experiment, whose shape the report does not assume.
/// (Named apart from Experiment's and Graph's `JSONValue` so that all three modules can be
/// imported together.)
public enum JSONTree: Codable, Equatable, Sendable {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// A number.
  case number(Double)
  /// A string.
  case string(String)
  /// An array.
  case array([JSONTree])
  /// An object (printed with sorted keys).
  case object([String: JSONTree])

  /// Decodes any JSON value.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONTree].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONTree].self))
    }
  }

  /// Encodes the value as it was decoded.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .number(let n): try c.encode(n)
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }

  /// The member `key` of an object, or `nil`.
  public subscript(key: String) -> JSONTree? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  /// The string, or `nil` when this is not a string.
  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// The number, or `nil` when this is not a number.
  public var numberValue: Double? {
    if case .number(let n) = self { return n }
    return nil
  }

  /// Pretty-printed JSON with sorted keys and 2-space indentation (stable across runs).
  public func prettyText(indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .object(let o) where !o.isEmpty:
      let members = o.keys.sorted().map { "\(inner)\(JSONTree.quote($0)): \(o[$0, default: .null].prettyText(indent: inner))" }
      return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
    case .array(let a) where !a.isEmpty:
      if a.allSatisfy(\.isScalar) { return "[" + a.map { $0.prettyText() }.joined(separator: ", ") + "]" }
      return "[\n" + a.map { inner + $0.prettyText(indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
    default:
      return scalarText
    }
  }

  /// Leaf values by dotted path (`train.epochs`, `stages[1].bits`), for settings diffs.
  public func flattened(prefix: String = "") -> [(path: String, value: String)] {
    switch self {
    case .object(let o) where !o.isEmpty:
      return o.keys.sorted().flatMap { key in
        o[key, default: .null].flattened(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
      }
    case .array(let a) where !a.isEmpty && !a.allSatisfy(\.isScalar):
      return a.enumerated().flatMap { i, v in v.flattened(prefix: "\(prefix)[\(i)]") }
    default:
      return [(prefix, prettyText())]
    }
  }

  var isScalar: Bool {
    switch self {
    case .object(let o): return o.isEmpty
    case .array(let a): return a.isEmpty
    default: return true
    }
  }

  var scalarText: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let n):
      if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
      return "\(n)"
    case .string(let s): return JSONTree.quote(s)
    case .array: return "[]"
    case .object: return "{}"
    }
  }

  static func quote(_ s: String) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes]
    let data = (try? encoder.encode(s)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
  }
}
