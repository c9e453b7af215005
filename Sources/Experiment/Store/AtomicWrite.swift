import Foundation
import Support

/// Writes files so that a reader sees either the old or the new complete file, never a part:
/// the bytes go to a temporary file in the same directory, which is then renamed over the target.
public enum AtomicWrite {
  public static func write(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tmp = dir.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    do {
      try data.write(to: tmp)
      if rename(tmp.path, url.path) != 0 {
        throw StoreError.io(path: url.path, reason: "cannot rename temporary file: \(String(cString: strerror(errno)))")
      }
    } catch {
      try? FileManager.default.removeItem(at: tmp)
      throw error
    }
  }

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

#if canImport(Glibc)
import Glibc
#endif
