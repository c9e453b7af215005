import Foundation

/// Atomic file replacement: the bytes go to a temporary file in the same directory, are
/// flushed to disk, and the temporary file is renamed over the destination. A reader (or a
/// run killed with -9 at any moment) sees either the old complete file or the new one.
enum AtomicFile {
  static func write(_ data: Data, to url: URL) throws {
    let dir = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      let temp = dir.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
      guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
        throw TrainingError.io(path: temp.path, reason: "the temporary file could not be created (is the directory writable?)")
      }
      let handle = try FileHandle(forWritingTo: temp)
      try handle.write(contentsOf: data)
      try handle.synchronize()
      try handle.close()
      if rename(temp.path, url.path) != 0 {
        throw TrainingError.io(path: url.path, reason: String(cString: strerror(errno)))
      }
    } catch let error as TrainingError {
      throw error
    } catch {
      throw TrainingError.io(path: url.path, reason: "\(error)")
    }
  }
}
