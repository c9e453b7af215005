import CHDF5
import Foundation

/// Process-wide access to libhdf5.
///
/// The distribution build of libhdf5 is not thread-safe, so every call into it from this module
/// runs under one recursive lock (``sync(_:)``). The library's own printing of error stacks to
/// stderr is turned off once; failures surface as ``HDF5Error`` values instead.
enum HDF5Library {
  private static let lock: NSRecursiveLock = {
    let lock = NSRecursiveLock()
    H5open()
    wb_h5_silence_errors()
    return lock
  }()

  /// Runs `body` while holding the library lock.
  static func sync<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  /// The most specific message on the HDF5 error stack, cleared afterwards.
  static func lastError() -> String {
    var buffer = [CChar](repeating: 0, count: 512)
    buffer.withUnsafeMutableBufferPointer { wb_h5_last_error($0.baseAddress, $0.count) }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// Throws ``HDF5Error/operationFailed(operation:file:path:reason:)`` when `status` is negative.
  @discardableResult
  static func check<T: BinaryInteger>(
    _ status: T, _ operation: @autoclosure () -> String, file: String, path: String
  ) throws -> T {
    if status < 0 {
      throw HDF5Error.operationFailed(
        operation: operation(), file: file, path: path, reason: lastError())
    }
    return status
  }
}
