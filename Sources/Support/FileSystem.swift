import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// File-system operations that fail with a ``FileSystemError`` naming the file, what it is to
/// the user (`subject`, e.g. "the reports folder") and why, in plain words.
///
/// Call these where the file is known instead of `FileManager` directly, so that what reaches
/// the user is a sentence such as `cannot create the reports folder /proc/version/x: a parent is
/// not a folder` rather than a Foundation error dump.
public enum FileSystem {
  /// Creates the folder at `url` and any missing parents (an existing folder is fine).
  public static func createFolder(_ url: URL, _ subject: String = "the folder") throws {
    do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
      throw FileSystemError(.create, subject, path: url.path, error: error)
    }
  }

  /// The whole content of the file at `path`.
  public static func read(_ path: String, _ subject: String = "the file") throws -> Data {
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
      throw FileSystemError(.read, subject, path: path, errno: EISDIR)
    }
    do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
      throw FileSystemError(.read, subject, path: path, error: error)
    }
  }

  /// The content of the file at `path` as UTF-8 text.
  public static func readText(_ path: String, _ subject: String = "the file") throws -> String {
    guard let text = String(data: try read(path, subject), encoding: .utf8) else {
      throw FileSystemError(.read, subject, path: path, reason: "it is not UTF-8 text")
    }
    return text
  }

  /// The names in the folder at `path`, unsorted (as the file system lists them).
  public static func contents(ofFolder path: String, _ subject: String = "the folder") throws -> [String] {
    do { return try FileManager.default.contentsOfDirectory(atPath: path) } catch {
      throw FileSystemError(.list, subject, path: path, error: error)
    }
  }

  /// Removes the file or folder (with its content) at `url`.
  public static func remove(_ url: URL, _ subject: String = "the file") throws {
    do { try FileManager.default.removeItem(at: url) } catch {
      throw FileSystemError(.remove, subject, path: url.path, error: error)
    }
  }

  /// Renames `source` to `destination` (rename(2): atomic on one file system; an existing file
  /// at `destination` is replaced).
  public static func move(_ source: String, to destination: String, _ subject: String = "the file") throws {
    if rename(source, destination) != 0 {
      throw FileSystemError(.move, subject, path: source, destination: destination, errno: errno)
    }
  }

  /// Copies the file or folder at `source` to `destination` (which must not exist).
  public static func copy(_ source: URL, to destination: URL, _ subject: String = "the file") throws {
    do { try FileManager.default.copyItem(at: source, to: destination) } catch {
      throw FileSystemError(.copy, subject, path: source.path, destination: destination.path, error: error)
    }
  }

  /// Creates a symbolic link at `url` whose target is `target` (stored as given).
  public static func createSymbolicLink(_ url: URL, to target: String, _ subject: String = "the link") throws {
    do { try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target) } catch {
      throw FileSystemError(.link, subject, path: url.path, destination: target, error: error)
    }
  }

  /// Why a new file cannot be created in `folder`, in plain words, or `nil` when it can as far
  /// as the folder's existence, kind and permission bits tell. For libraries such as libhdf5
  /// that fail to create a file without saying why.
  public static func reasonCannotCreateFile(in folder: String) -> String? {
    var info = stat()
    guard stat(folder, &info) == 0 else { return FileSystemError.reason(errno: errno, action: .create) }
    guard info.st_mode & S_IFMT == S_IFDIR else { return FileSystemError.reason(errno: ENOTDIR, action: .create) }
    return access(folder, W_OK | X_OK) == 0 ? nil : FileSystemError.reason(errno: errno, action: .create)
  }
}
