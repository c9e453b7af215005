import Foundation
import Support

/// Command-line overrides: `--set train.epochs=3`, `--set data.generator="faces"`.
public enum Overrides {
  /// Applies `PATH=VALUE` overrides in order. VALUE is parsed as JSON when it is valid JSON
  /// (numbers, true/false, null, quoted strings, arrays, objects) and taken as a plain string
  /// otherwise, so `model.zoo=tiny-yolo` needs no quotes.
  public static func apply(_ overrides: [String], to document: JSONValue) throws -> JSONValue {
    var doc = document
    for text in overrides {
      guard let eq = text.firstIndex(of: "=") else { throw SpecError.badOverride(text, reason: "no `=`") }
      let path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
      let raw = String(text[text.index(after: eq)...])
      let keys = path.split(separator: ".").map(String.init)
      guard !keys.isEmpty, !keys.contains(where: \.isEmpty) else {
        throw SpecError.badOverride(text, reason: "empty path")
      }
      let value = (try? JSONValue.parse(Data(raw.utf8), file: "--set")) ?? .string(raw)
      doc = try set(doc, keys[...], value, text)
    }
    return doc
  }

  static func set(_ node: JSONValue, _ keys: ArraySlice<String>, _ value: JSONValue, _ text: String) throws -> JSONValue
  {
    guard let key = keys.first else { return value }
    var o: [String: JSONValue]
    switch node {
    case .object(let existing): o = existing
    case .null: o = [:]
    default: throw SpecError.badOverride(text, reason: "`\(key)` is inside a \(node.brief), not an object")
    }
    o[key] = try set(o[key] ?? .null, keys.dropFirst(), value, text)
    return .object(o)
  }
}
