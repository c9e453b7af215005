import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A file-system operation that failed, as one sentence naming what, where and why, e.g.
/// `cannot create the reports folder /proc/version/x: a parent is not a folder`.
///
/// Thrown at the boundary where Workbench knows which file it was handling (see ``FileSystem``),
/// instead of Foundation's `NSError` dumps or bare `strerror` texts. The reason is in plain
/// words: no such file or folder, permission denied, a parent is not a folder, disk full,
/// read-only file system, …
public struct FileSystemError: Error, CustomStringConvertible, Equatable, Sendable {
  /// What was being done.
  public enum Action: String, Sendable {
    case create, read, write, move, copy, remove, list, link
  }

  /// What was being done.
  public let action: Action
  /// What the file is to the user, with its article: "the reports folder", "the model file".
  public let subject: String
  /// The file or folder.
  public let path: String
  /// Where it was moved, copied or linked to, if anywhere.
  public let destination: String?
  /// Why, in plain words.
  public let reason: String

  /// The error for `path` with an explicit `reason`.
  public init(_ action: Action, _ subject: String, path: String, destination: String? = nil, reason: String) {
    self.action = action
    self.subject = subject
    self.path = path
    self.destination = destination
    self.reason = reason
  }

  /// The error for `path` with the reason taken from a Foundation or POSIX error.
  public init(_ action: Action, _ subject: String, path: String, destination: String? = nil, error: Error) {
    self.init(action, subject, path: path, destination: destination, reason: Self.reason(for: error, action: action))
  }

  /// The error for `path` with the reason taken from a C library `errno` value.
  public init(_ action: Action, _ subject: String, path: String, destination: String? = nil, errno code: Int32) {
    self.init(action, subject, path: path, destination: destination, reason: Self.reason(errno: code, action: action))
  }

  public var description: String {
    let target = destination.map { "\(path) to \($0)" } ?? path
    return "cannot \(action.rawValue) \(subject) \(target): \(reason)"
  }

  /// Plain words for a C library error number.
  public static func reason(errno code: Int32, action: Action? = nil) -> String {
    switch code {
    case ENOENT: return "no such file or folder"
    case EACCES, EPERM: return "permission denied"
    case ENOTDIR: return action == .list ? "it is not a folder" : "a parent is not a folder"
    case EISDIR: return "it is a folder"
    case ENOSPC: return "disk full"
    case EDQUOT: return "disk quota exceeded"
    case EROFS: return "read-only file system"
    case EEXIST: return "it already exists"
    case ENOTEMPTY: return "the folder is not empty"
    case ENAMETOOLONG: return "the name is too long"
    case ELOOP: return "too many levels of symbolic links"
    case EXDEV: return "the two places are on different file systems"
    case EMFILE, ENFILE: return "too many open files"
    case EBUSY: return "it is in use"
    case EIO: return "input/output error"
    default:
      let text = String(cString: strerror(code))
      return text.prefix(1).lowercased() + text.dropFirst()
    }
  }

  /// Plain words for an error thrown by Foundation (`NSError` of the Cocoa or POSIX domain,
  /// with or without an underlying POSIX error) or by the C library (`POSIXError`).
  public static func reason(for error: Error, action: Action? = nil) -> String {
    if let error = error as? FileSystemError { return error.reason }
    if let error = error as? POSIXError { return reason(errno: error.code.rawValue, action: action) }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return reason(errno: Int32(ns.code), action: action) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? Error {
      if let posix = underlying as? POSIXError { return reason(errno: posix.code.rawValue, action: action) }
      let inner = underlying as NSError
      if inner.domain == NSPOSIXErrorDomain { return reason(errno: Int32(inner.code), action: action) }
    }
    if ns.domain == NSCocoaErrorDomain {
      switch CocoaError.Code(rawValue: ns.code) {
      case .fileNoSuchFile, .fileReadNoSuchFile: return reason(errno: ENOENT, action: action)
      case .fileReadNoPermission, .fileWriteNoPermission: return reason(errno: EACCES, action: action)
      case .fileWriteOutOfSpace: return reason(errno: ENOSPC, action: action)
      case .fileWriteVolumeReadOnly: return reason(errno: EROFS, action: action)
      case .fileWriteFileExists: return reason(errno: EEXIST, action: action)
      case .fileReadInvalidFileName, .fileWriteInvalidFileName: return "the name is not valid"
      case .fileReadTooLarge: return "the file is too large"
      case .fileReadInapplicableStringEncoding, .fileReadUnknownStringEncoding: return "it is not UTF-8 text"
      case .fileReadCorruptFile: return "the file is damaged"
      default: return "an unknown error (Foundation code \(ns.code))"
      }
    }
    return "\(error)"
  }
}
