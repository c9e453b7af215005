/// An op attribute value: a tagged union in the mould of ONNX's `AttributeProto`.
///
/// Encoded as `{"type": "int", "value": 3}` so the type survives a JSON round trip (an integer
/// `1` and a float `1.0` are different attributes).
public enum Attribute: Codable, Equatable, Hashable, Sendable, CustomStringConvertible {
  /// An integer (channels, groups, factor).
  case int(Int)
  /// A list of integers (kernel, stride, padding, shape).
  case ints([Int])
  /// A number (epsilon, alpha, rate).
  case float(Double)
  /// A list of numbers.
  case floats([Double])
  /// A flag (bias, ceilMode).
  case bool(Bool)
  /// A string.
  case string(String)

  /// The tag written to JSON and used in messages.
  public var typeName: String {
    switch self {
    case .int: return "int"
    case .ints: return "ints"
    case .float: return "float"
    case .floats: return "floats"
    case .bool: return "bool"
    case .string: return "string"
    }
  }

  /// The value as an integer, if it is one.
  public var intValue: Int? { if case let .int(v) = self { return v } else { return nil } }
  /// The value as a list of integers, if it is one.
  public var intsValue: [Int]? { if case let .ints(v) = self { return v } else { return nil } }
  /// The value as a number (integers convert), if it is one.
  public var doubleValue: Double? {
    switch self {
    case let .float(v): return v
    case let .int(v): return Double(v)
    default: return nil
    }
  }
  /// The value as a Boolean, if it is one.
  public var boolValue: Bool? { if case let .bool(v) = self { return v } else { return nil } }
  /// The value as a string, if it is one.
  public var stringValue: String? { if case let .string(v) = self { return v } else { return nil } }

  public var description: String {
    switch self {
    case let .int(v): return String(v)
    case let .ints(v): return "[" + v.map(String.init).joined(separator: ", ") + "]"
    case let .float(v): return String(v)
    case let .floats(v): return "[" + v.map { String($0) }.joined(separator: ", ") + "]"
    case let .bool(v): return String(v)
    case let .string(v): return "\"\(v)\""
    }
  }

  enum CodingKeys: String, CodingKey { case type, value }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let type = try c.decode(String.self, forKey: .type)
    switch type {
    case "int": self = .int(try c.decode(Int.self, forKey: .value))
    case "ints": self = .ints(try c.decode([Int].self, forKey: .value))
    case "float": self = .float(try c.decode(Double.self, forKey: .value))
    case "floats": self = .floats(try c.decode([Double].self, forKey: .value))
    case "bool": self = .bool(try c.decode(Bool.self, forKey: .value))
    case "string": self = .string(try c.decode(String.self, forKey: .value))
    default:
      throw DecodingError.dataCorruptedError(
        forKey: .type, in: c,
        debugDescription: "Unknown attribute type '\(type)'; expected int, ints, float, floats, bool or string.")
    }
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(typeName, forKey: .type)
    switch self {
    case let .int(v): try c.encode(v, forKey: .value)
    case let .ints(v): try c.encode(v, forKey: .value)
    case let .float(v): try c.encode(v, forKey: .value)
    case let .floats(v): try c.encode(v, forKey: .value)
    case let .bool(v): try c.encode(v, forKey: .value)
    case let .string(v): try c.encode(v, forKey: .value)
    }
  }
}
