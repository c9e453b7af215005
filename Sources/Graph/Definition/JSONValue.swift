/// Any JSON value, decoded without a schema so that model definitions can be checked field by
/// field with errors that name the layer and the field.
public enum JSONValue: Codable, Equatable, Sendable, CustomStringConvertible {
  /// `null`.
  case null
  /// `true` or `false`.
  case bool(Bool)
  /// Any number.
  case number(Double)
  /// A string.
  case string(String)
  /// A list.
  case array([JSONValue])
  /// An object.
  case object([String: JSONValue])

  public init(from decoder: Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let n = try? c.decode(Double.self) {
      self = .number(n)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case let .bool(b): try c.encode(b)
    case let .number(n):
      if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int(n)) } else { try c.encode(n) }
    case let .string(s): try c.encode(s)
    case let .array(a): try c.encode(a)
    case let .object(o): try c.encode(o)
    }
  }

  /// The value as an integer, if it is a number without a fractional part.
  public var intValue: Int? {
    if case let .number(n) = self, n == n.rounded(), abs(n) < 1e15 { return Int(n) }
    return nil
  }
  /// The value as a number, if it is one.
  public var doubleValue: Double? { if case let .number(n) = self { return n } else { return nil } }
  /// The value as a string, if it is one.
  public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
  /// The value as a Boolean, if it is one.
  public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }
  /// The elements, if the value is an array.
  public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
  /// The members, if the value is an object.
  public var objectValue: [String: JSONValue]? { if case let .object(o) = self { return o } else { return nil } }

  /// Compact JSON-like text for messages.
  public var description: String {
    switch self {
    case .null: return "null"
    case let .bool(b): return String(b)
    case let .number(n): return intValue.map(String.init) ?? String(n)
    case let .string(s): return "\"\(s)\""
    case let .array(a): return "[" + a.map(\.description).joined(separator: ", ") + "]"
    case let .object(o): return "{" + o.keys.sorted().map { "\"\($0)\": \(o[$0]?.description ?? "")" }.joined(separator: ", ") + "}"
    }
  }
}
