import Foundation

/// Atomic file replacement: write to a temporary file in the destination's directory, then rename.
///
/// A reader never sees a half-written file, and a failed write leaves nothing behind (the
/// temporary file is removed). Used for every artifact Workbench writes: images, datasets,
/// checkpoints and training histories (flushed to disk first, so a run killed with -9 resumes
/// from a complete checkpoint), run folders and cache entries.
public enum AtomicFile {
  /// A unique temporary path next to `path` (same directory, so `rename` is atomic).
  public static func temporaryPath(for path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let name = ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    return url.deletingLastPathComponent().appendingPathComponent(name).path
  }

  /// Calls `produce` with a temporary path, then renames it to `path`; on error the temporary
  /// file is removed and the error rethrown.
  public static func write<T>(to path: String, _ produce: (String) throws -> T) throws -> T {
    let temporary = temporaryPath(for: path)
    do {
      let result = try produce(temporary)
      if rename(temporary, path) != 0 {
        throw AtomicFileError(path: path, reason: String(cString: strerror(errno)))
      }
      return result
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw error
    }
  }

  /// Writes `data` to `path` atomically; with `sync` the bytes are flushed to disk before the
  /// rename (for files a crashed process must find complete).
  public static func write(_ data: Data, to path: String, sync: Bool = false) throws {
    try write(to: path) { temporary in
      guard sync else { return try data.write(to: URL(fileURLWithPath: temporary)) }
      guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
        throw AtomicFileError(path: path, reason: "the temporary file could not be created (is the directory writable?)")
      }
      let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
      defer { try? handle.close() }
      try handle.write(contentsOf: data)
      try handle.synchronize()
    }
  }

  /// Writes `data` to `url` atomically, creating the missing directories first.
  public static func write(_ data: Data, to url: URL, sync: Bool = false) throws {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try write(data, to: url.path, sync: sync)
  }
}

/// The final rename of an atomic write failed (e.g. the destination directory is missing).
public struct AtomicFileError: Error, CustomStringConvertible, Equatable {
  /// The destination path.
  public let path: String
  /// The operating system's explanation.
  public let reason: String

  /// Creates the error for `path`.
  public init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  public var description: String { "File '\(path)' could not be written: \(reason)." }
}
