/// JSON text from a ``JSONValue``: compact canonical text (hashed), indented text (for files
/// people read), short forms for messages, and leaf paths for settings diffs.
extension JSONValue: CustomStringConvertible {
  /// Compact JSON with sorted keys and shortest round-tripping numbers: the form that is hashed.
  public var canonical: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let n): return intValue.map(String.init) ?? "\(n)"
    case .string(let s): return JSONValue.quote(s)
    case .array(let a): return "[" + a.map(\.canonical).joined(separator: ",") + "]"
    case .object(let o):
      return "{" + o.keys.sorted().map { JSONValue.quote($0) + ":" + (o[$0] ?? .null).canonical }.joined(separator: ",")
        + "}"
    }
  }

  /// Indented JSON (2 spaces) with sorted keys; arrays of scalars stay on one line.
  public func pretty(indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .array(let a) where !a.isEmpty:
      if a.allSatisfy(\.isScalar) { return "[" + a.map(\.canonical).joined(separator: ", ") + "]" }
      return "[\n" + a.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case .object(let o) where !o.isEmpty:
      return "{\n"
        + o.keys.sorted().map { inner + JSONValue.quote($0) + ": " + (o[$0] ?? .null).pretty(indent: inner) }
        .joined(separator: ",\n") + "\n" + indent + "}"
    default: return canonical
    }
  }

  /// Compact text with spaces after separators, for messages.
  public var description: String {
    switch self {
    case .array(let a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
    case .object(let o):
      return "{"
        + o.keys.sorted().map { JSONValue.quote($0) + ": " + (o[$0] ?? .null).description }.joined(separator: ", ")
        + "}"
    default: return canonical
    }
  }

  /// A short rendering for messages: scalars as JSON, containers named ("an array").
  public var brief: String {
    switch self {
    case .array: return "an array"
    case .object: return "an object"
    default: return canonical
    }
  }

  /// Leaf values by dotted path (`train.epochs`, `stages[1].bits`) with their text, in key
  /// order; arrays of scalars are one leaf.
  public func flattened(prefix: String = "") -> [(path: String, value: String)] {
    switch self {
    case .object(let o) where !o.isEmpty:
      return o.keys.sorted().flatMap { key in
        (o[key] ?? .null).flattened(prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
      }
    case .array(let a) where !a.isEmpty && !a.allSatisfy(\.isScalar):
      return a.enumerated().flatMap { i, v in v.flattened(prefix: "\(prefix)[\(i)]") }
    default:
      return [(prefix, pretty())]
    }
  }

  /// `s` as a JSON string literal: quotes, backslashes and control characters escaped.
  public static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 {
          let hex = String(u.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(u)
        }
      }
    }
    return out + "\""
  }
}
