import Foundation
import Support

/// Run-folder and cache writes on top of ``Support/AtomicFile``: text, JSON values and
/// Encodable records, each replacing its file atomically (directories are created).
public enum AtomicWrite {
  public static func write(_ data: Data, to url: URL) throws { try AtomicFile.write(data, to: url) }

  public static func write(_ text: String, to url: URL) throws { try write(Data(text.utf8), to: url) }

  /// Writes a JSON value pretty-printed with sorted keys.
  public static func writeJSON(_ value: JSONValue, to url: URL) throws { try write(value.pretty() + "\n", to: url) }

  /// Encodes `value` as pretty, key-sorted JSON; Workbench's own records use snake_case keys,
  /// types with their own documented format (graphs, Metrics reports) pass `snakeCase: false`.
  public static func writeJSON<T: Encodable>(_ value: T, to url: URL, snakeCase: Bool = true) throws {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys]
    if snakeCase { e.keyEncodingStrategy = .convertToSnakeCase }
    try write(e.encode(value), to: url)
  }
}
