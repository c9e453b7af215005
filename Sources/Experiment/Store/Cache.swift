import Foundation
import Support

/// The content-addressed stage cache: `<root>/<stage>/<key>/` holds a stage's outputs and
/// `entry.json`. An entry appears only complete: a stage writes into a private temporary folder
/// that is renamed into place after it succeeded, so a failing or interrupted stage leaves no
/// entry. A per-key lock file keeps two runs from computing the same entry at once.
public struct Cache: Sendable {
  public let root: URL

  /// The cache at `WORKBENCH_CACHE`, or `.workbench/cache` under the current directory.
  public static func `default`() -> Cache {
    if let env = ProcessInfo.processInfo.environment["WORKBENCH_CACHE"], !env.isEmpty {
      return Cache(root: URL(fileURLWithPath: env))
    }
    return Cache(
      root: URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".workbench/cache"))
  }

  public init(root: URL) { self.root = root }

  /// What a stored entry records.
  public struct Entry: Codable, Sendable {
    public var stage: String
    public var key: String
    public var created: String
    public var wallSeconds: Double
    public var outputs: [String: String]
  }

  public func directory(stage: String, key: String) -> URL {
    root.appendingPathComponent(stage).appendingPathComponent(key)
  }

  /// A folder that survives interruptions of the stage with this key (training checkpoints).
  public func workDirectory(stage: String, key: String) -> URL {
    root.appendingPathComponent(stage).appendingPathComponent(".work-\(key)")
  }

  /// Checkpoints shared by the runs of one training trajectory (`trajectoryKey`: the stage's key
  /// computed from ``ContinuableStage/trajectorySettings(_:)``), one file per epoch reached.
  /// Files are written by rename and never change, so concurrent runs may read and add.
  public func checkpointDirectory(stage: String, key trajectoryKey: String) -> URL {
    root.appendingPathComponent(stage).appendingPathComponent(".checkpoints-\(trajectoryKey)")
  }

  /// The entry for `key`, or nil when there is none.
  public func lookup(stage: String, key: String) throws -> Entry? {
    let url = directory(stage: stage, key: key).appendingPathComponent("entry.json")
    guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
    let d = JSONDecoder()
    d.keyDecodingStrategy = .convertFromSnakeCase
    do { return try d.decode(Entry.self, from: data) } catch {
      throw StoreError.corruptEntry(path: url.deletingLastPathComponent().path, reason: "entry.json does not decode")
    }
  }

  /// Holds the lock for `(stage, key)` until the returned lock is released.
  public func lock(stage: String, key: String) throws -> FileLock {
    let dir = root.appendingPathComponent(stage)
    try FileSystem.createFolder(dir, "the cache folder")
    return try FileLock(path: dir.appendingPathComponent("\(key).lock").path)
  }

  /// A fresh temporary folder for computing the entry `key`.
  public func makeTemporary(stage: String, key: String) throws -> URL {
    let url = root.appendingPathComponent(stage).appendingPathComponent(
      ".tmp-\(key)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileSystem.createFolder(url, "a temporary cache folder")
    return url
  }

  /// Publishes a completed temporary folder as the entry `key` (hashing its files).
  public func publish(temporary: URL, stage: String, key: String, wallSeconds: Double) throws -> Entry {
    let outputs = try FileHash.tree(temporary)
    let entry = Entry(
      stage: stage, key: key, created: ISO8601DateFormatter().string(from: Date()), wallSeconds: wallSeconds,
      outputs: outputs)
    try AtomicWrite.writeJSON(entry, to: temporary.appendingPathComponent("entry.json"))
    let final = directory(stage: stage, key: key)
    if FileManager.default.fileExists(atPath: final.path) {
      try? FileManager.default.removeItem(at: temporary)  // an identical entry was published meanwhile
    } else if rename(temporary.path, final.path) != 0 {
      let error = FileSystemError(
        .move, "the new cache entry", path: temporary.path, destination: final.path, errno: errno)
      try? FileManager.default.removeItem(at: temporary)
      throw error
    }
    return entry
  }

  /// Every entry, for `workbench cache list`.
  public func entries() -> [(entry: Entry, bytes: Int64)] {
    var out: [(Entry, Int64)] = []
    let fm = FileManager.default
    for stage in (try? fm.contentsOfDirectory(atPath: root.path))?.sorted() ?? [] {
      for key in (try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(stage).path))?.sorted() ?? []
      where !key.hasPrefix(".") && !key.hasSuffix(".lock") {
        guard let e = try? lookup(stage: stage, key: key) else { continue }
        out.append((e, Cache.size(of: directory(stage: stage, key: key))))
      }
    }
    return out
  }

  /// Removes entries (all, or those created before `olderThan`), and leftover temporary folders
  /// and trajectory checkpoints.
  public func prune(olderThan cutoff: Date? = nil) throws -> Int {
    var removed = 0
    let fm = FileManager.default
    let parse = ISO8601DateFormatter()
    for (e, _) in entries() {
      if let cutoff, let created = parse.date(from: e.created), created >= cutoff { continue }
      try FileSystem.remove(directory(stage: e.stage, key: e.key), "the cache entry")
      removed += 1
    }
    for stage in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] {
      for name in (try? fm.contentsOfDirectory(atPath: root.appendingPathComponent(stage).path)) ?? []
      where (name.hasPrefix(".tmp-") || name.hasPrefix(".checkpoints-")) && cutoff == nil {
        try? fm.removeItem(at: root.appendingPathComponent(stage).appendingPathComponent(name))
      }
    }
    return removed
  }

  static func size(of dir: URL) -> Int64 {
    var total: Int64 = 0
    if let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: [.fileSizeKey]) {
      for case let u as URL in e { total += Int64((try? u.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0) }
    }
    return total
  }
}

#if canImport(Glibc)
  import Glibc
#endif
