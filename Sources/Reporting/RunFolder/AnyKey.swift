/// A coding key for any string, used to decode objects with open or alternative key sets.
struct AnyKey: CodingKey, Hashable {
  var stringValue: String
  var intValue: Int? { nil }

  init(_ string: String) { stringValue = string }
  init?(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { return nil }
}

extension KeyedDecodingContainer where Key == AnyKey {
  /// The value under the first of `keys` that is present and not null.
  func first<T: Decodable>(_ type: T.Type, _ keys: String...) throws -> T? {
    for name in keys {
      let key = AnyKey(name)
      if contains(key), try !decodeNil(forKey: key) { return try decode(T.self, forKey: key) }
    }
    return nil
  }

  /// Numbers under every key whose value is a number (others — strings, nulls — are skipped).
  func numbers() -> [String: Double] {
    var out: [String: Double] = [:]
    for key in allKeys {
      if let v = try? decode(Double.self, forKey: key) { out[key.stringValue] = v }
    }
    return out
  }
}
