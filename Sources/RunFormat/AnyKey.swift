/// A coding key for any string, used to decode objects with open or alternative key sets.
public struct AnyKey: CodingKey, Hashable {
  public var stringValue: String
  public var intValue: Int? { nil }

  public init(_ string: String) { stringValue = string }
  public init?(stringValue: String) { self.stringValue = stringValue }
  public init?(intValue: Int) { return nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
  /// The value under the first of `keys` that is present and not null.
  public func first<T: Decodable>(_ type: T.Type, _ keys: String...) throws -> T? {
    for name in keys {
      let key = AnyKey(name)
      if contains(key), try !decodeNil(forKey: key) { return try decode(T.self, forKey: key) }
    }
    return nil
  }

  /// Numbers under every key whose value is a number (others — strings, nulls — are skipped).
  public func numbers() -> [String: Double] {
    var out: [String: Double] = [:]
    for key in allKeys {
      if let v = try? decode(Double.self, forKey: key) { out[key.stringValue] = v }
    }
    return out
  }
}
