/// The value of an HDF5 attribute: a number, a string, or a 1-D array of either.
///
/// Integers are stored as 64-bit signed, floating-point values as 64-bit, strings as
/// variable-length UTF-8 — the types h5py produces for Python `int`, `float` and `str`.
public enum HDF5AttributeValue: Equatable, Sendable, CustomStringConvertible {
  case int(Int64)
  case ints([Int64])
  case double(Double)
  case doubles([Double])
  case string(String)
  case strings([String])

  public var description: String {
    switch self {
    case let .int(value): return String(value)
    case let .ints(values): return values.description
    case let .double(value): return String(value)
    case let .doubles(values): return values.description
    case let .string(value): return value.debugDescription
    case let .strings(values): return values.description
    }
  }

  /// The value as one integer, if it is one.
  public var intValue: Int64? {
    switch self {
    case let .int(value): return value
    case let .ints(values) where values.count == 1: return values[0]
    default: return nil
    }
  }

  /// The value as one number, if it is one.
  public var doubleValue: Double? {
    switch self {
    case let .double(value): return value
    case let .int(value): return Double(value)
    case let .doubles(values) where values.count == 1: return values[0]
    default: return nil
    }
  }

  /// The value as one string, if it is one.
  public var stringValue: String? {
    switch self {
    case let .string(value): return value
    case let .strings(values) where values.count == 1: return values[0]
    default: return nil
    }
  }

  /// The value as a list of strings (a single string gives a one-element list).
  public var stringsValue: [String]? {
    switch self {
    case let .string(value): return [value]
    case let .strings(values): return values
    default: return nil
    }
  }
}
