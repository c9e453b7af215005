/// Any JSON value, held without a schema: experiment files, overrides and the schema are
/// checked field by field on it (with errors that name the JSON path), model definitions layer
/// by layer, and reports carry resolved settings in it without assuming their shape.
///
/// Object keys keep no order; ``canonical`` and ``pretty(indent:)`` sort them, so equal values
/// always serialise — and hash — identically. Numbers are doubles; integral ones within ±10¹⁵
/// are written without a fraction (`3`, not `3.0`).
public enum JSONValue: Codable, Equatable, Sendable {
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
    } else if let a = try? c.decode([JSONValue].self) {
      self = .array(a)
    } else {
      self = .object(try c.decode([String: JSONValue].self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .null: try c.encodeNil()
    case .bool(let b): try c.encode(b)
    case .number(let n):
      if let i = intValue { try c.encode(i) } else { try c.encode(n) }
    case .string(let s): try c.encode(s)
    case .array(let a): try c.encode(a)
    case .object(let o): try c.encode(o)
    }
  }

  /// The member `key` of an object, or `nil`.
  public subscript(key: String) -> JSONValue? {
    if case .object(let o) = self { return o[key] }
    return nil
  }

  /// The value as an integer, if it is a number without a fractional part (within ±10¹⁵).
  public var intValue: Int? {
    if case .number(let n) = self, n == n.rounded(), abs(n) < 1e15 { return Int(n) }
    return nil
  }
  /// The value as a number, if it is one.
  public var doubleValue: Double? { if case .number(let n) = self { return n } else { return nil } }
  /// The value as a string, if it is one.
  public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
  /// The value as a Boolean, if it is one.
  public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
  /// The elements, if the value is an array.
  public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
  /// The members, if the value is an object.
  public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }

  /// Whether this is a number, string, Boolean, null or an empty container.
  public var isScalar: Bool {
    switch self {
    case .object(let o): return o.isEmpty
    case .array(let a): return a.isEmpty
    default: return true
    }
  }
}
