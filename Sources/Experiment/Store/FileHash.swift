import Datasets
import Foundation
import RunFormat
import Support

/// SHA-256 of files and folders, streamed so large artifacts are not loaded at once.
public enum FileHash {
  public static func file(_ url: URL) throws -> String {
    let h: FileHandle
    do { h = try FileHandle(forReadingFrom: url) } catch {
      throw FileSystemError(.read, "the file", path: url.path, error: error)
    }
    defer { try? h.close() }
    var sha = SHA256()
    while true {
      let chunk = h.readData(ofLength: 1 << 20)
      if chunk.isEmpty { break }
      sha.update(chunk)
    }
    return sha.hexDigest
  }

  /// Hashes of every regular file below `dir`, keyed by relative path, except those below
  /// `RunLayout.volatileFolder`: measurements of one execution (wall time, throughput), kept
  /// but not hashed, so they never change cache keys or break bit-identical reruns.
  public static func tree(_ dir: URL) throws -> [String: String] {
    var out: [String: String] = [:]
    let base = dir.standardizedFileURL.path
    guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.isRegularFileKey]) else {
      return out
    }
    for case let url as URL in e {
      guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
      var rel = url.standardizedFileURL.path
      if rel.hasPrefix(base + "/") { rel.removeFirst(base.count + 1) }
      if rel.hasPrefix(RunLayout.volatileFolder + "/") { continue }
      out[rel] = try file(url)
    }
    return out
  }
}
