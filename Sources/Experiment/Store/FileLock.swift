import Foundation
import Support

#if canImport(Glibc)
  import Glibc
#endif

/// An exclusive advisory lock on a file (flock(2)): two runs sharing a cache never compute or
/// publish the same entry at once. The lock is released on ``unlock()`` or when the process dies.
public final class FileLock {
  private let fd: Int32
  public let path: String

  /// Blocks until the lock on `path` is held (the file is created if needed).
  public init(path: String) throws {
    self.path = path
    fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw FileSystemError(.create, "the cache lock file", path: path, errno: errno) }
    while flock(fd, LOCK_EX) != 0 {
      if errno == EINTR { continue }
      let reason = FileSystemError.reason(errno: errno)
      close(fd)
      throw StoreError.io(path: path, reason: "cannot lock the cache lock file: \(reason)")
    }
  }

  public func unlock() { flock(fd, LOCK_UN) }

  deinit {
    flock(fd, LOCK_UN)
    close(fd)
  }
}

/// Errors of the cache and run store.
public enum StoreError: Error, CustomStringConvertible {
  case io(path: String, reason: String)
  case corruptEntry(path: String, reason: String)

  public var description: String {
    switch self {
    case .io(let path, let reason): return "\(path): \(reason)"
    case .corruptEntry(let path, let reason):
      return
        "cache entry \(path) is damaged (\(reason)); remove it with `workbench cache prune --all` or delete the folder"
    }
  }
}
