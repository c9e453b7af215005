import Foundation

/// Atomic file replacement: write to a temporary file in the destination's directory, then rename.
///
/// A reader never sees a half-written file, and a failed write leaves nothing behind (the
/// temporary file is removed). Used for every artifact Workbench writes: images, datasets,
/// checkpoints and training histories (flushed to disk first, so a run killed with -9 resumes
/// from a complete checkpoint), run folders and cache entries. File-system failures are
/// ``FileSystemError``s that name the destination, not the temporary file.
public enum AtomicFile {
  /// A unique temporary path next to `path` (same directory, so `rename` is atomic).
  public static func temporaryPath(for path: String) -> String {
    let url = URL(fileURLWithPath: path)
    let name =
      ".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString.prefix(8))"
    return url.deletingLastPathComponent().appendingPathComponent(name).path
  }

  /// Calls `produce` with a temporary path, then renames it to `path`; on error the temporary
  /// file is removed and the error rethrown. A destination folder that is missing or not
  /// writable fails first, as a ``FileSystemError`` naming `path` and `subject`.
  public static func write<T>(to path: String, _ subject: String = "the file", _ produce: (String) throws -> T) throws
    -> T
  {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    if let reason = FileSystem.reasonCannotCreateFile(in: folder) {
      throw FileSystemError(.write, subject, path: path, reason: reason)
    }
    let temporary = temporaryPath(for: path)
    do {
      let result = try produce(temporary)
      if rename(temporary, path) != 0 {
        throw FileSystemError(.write, subject, path: path, errno: errno)
      }
      return result
    } catch {
      try? FileManager.default.removeItem(atPath: temporary)
      throw error
    }
  }

  /// Writes `data` to `path` atomically; with `sync` the bytes are flushed to disk before the
  /// rename (for files a crashed process must find complete).
  public static func write(_ data: Data, to path: String, sync: Bool = false, _ subject: String = "the file") throws {
    try write(to: path, subject) { temporary in
      do {
        guard sync else { return try data.write(to: URL(fileURLWithPath: temporary)) }
        guard FileManager.default.createFile(atPath: temporary, contents: nil) else {
          throw FileSystemError(
            .write, subject, path: path, reason: "the temporary file \(temporary) could not be created")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        defer { try? handle.close() }
        try handle.write(contentsOf: data)
        try handle.synchronize()
      } catch let error as FileSystemError {
        throw error
      } catch {
        throw FileSystemError(.write, subject, path: path, error: error)
      }
    }
  }

  /// Writes `data` to `url` atomically, creating the missing folders first.
  public static func write(_ data: Data, to url: URL, sync: Bool = false, _ subject: String = "the file") throws {
    try FileSystem.createFolder(url.deletingLastPathComponent(), "the folder")
    try write(data, to: url.path, sync: sync, subject)
  }
}
