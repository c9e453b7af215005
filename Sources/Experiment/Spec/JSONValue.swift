import Foundation

/// A JSON document as a plain value: what experiment files, overrides and the schema work on
/// before they are turned into typed settings. Object keys keep no order; ``canonical`` sorts
/// them, so equal documents always serialise (and hash) identically.
public enum JSONValue: Equatable, Sendable, Codable {
  case null
  case bool(Bool)
  case number(Double)
  case string(String)
  case array([JSONValue])
  case object([String: JSONValue])

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() { self = .null }
    else if let b = try? c.decode(Bool.self) { self = .bool(b) }
    else if let n = try? c.decode(Double.self) { self = .number(n) }
    else if let s = try? c.decode(String.self) { self = .string(s) }
    else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
    else { self = .object(try c.decode([String: JSONValue].self)) }
  }

  public func encode(to encoder: Encoder) throws {
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

  /// Parses JSON text; the error names the file.
  public static func parse(_ data: Data, file: String) throws -> JSONValue {
    do { return try JSONDecoder().decode(JSONValue.self, from: data) } catch {
      throw SpecError.unreadable(file: file, reason: JSONValue.describe(error))
    }
  }

  static func describe(_ error: Error) -> String {
    if case DecodingError.dataCorrupted(let ctx) = error {
      let underlying = (ctx.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
      return underlying ?? ctx.debugDescription
    }
    return "\(error)"
  }

  /// Compact JSON with sorted keys and shortest round-tripping numbers: the form that is hashed.
  public var canonical: String {
    switch self {
    case .null: return "null"
    case .bool(let b): return b ? "true" : "false"
    case .number(let n):
      if n.rounded() == n && abs(n) < 1e15 { return String(Int64(n)) }
      return "\(n)"
    case .string(let s): return JSONValue.quote(s)
    case .array(let a): return "[" + a.map(\.canonical).joined(separator: ",") + "]"
    case .object(let o):
      return "{" + o.keys.sorted().map { JSONValue.quote($0) + ":" + (o[$0] ?? .null).canonical }.joined(separator: ",") + "}"
    }
  }

  /// Indented JSON with sorted keys, for files people read.
  public func pretty(indent: String = "") -> String {
    let inner = indent + "  "
    switch self {
    case .array(let a) where !a.isEmpty:
      if a.allSatisfy({ if case .number = $0 { return true }; if case .string = $0 { return true }; return false }) {
        return "[" + a.map(\.canonical).joined(separator: ", ") + "]"
      }
      return "[\n" + a.map { inner + $0.pretty(indent: inner) }.joined(separator: ",\n") + "\n" + indent + "]"
    case .object(let o) where !o.isEmpty:
      return "{\n" + o.keys.sorted().map { inner + JSONValue.quote($0) + ": " + (o[$0] ?? .null).pretty(indent: inner) }
        .joined(separator: ",\n") + "\n" + indent + "}"
    default: return canonical
    }
  }

  static func quote(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
      }
    }
    return out + "\""
  }

  /// A short rendering for messages: strings quoted, containers abbreviated.
  public var brief: String {
    switch self {
    case .array: return "an array"
    case .object: return "an object"
    default: return canonical
    }
  }

  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  public var doubleValue: Double? { if case .number(let n) = self { return n }; return nil }
  public var stringValue: String? { if case .string(let s) = self { return s }; return nil }
  public var boolValue: Bool? { if case .bool(let b) = self { return b }; return nil }
  public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
}
