import CHDF5
import Foundation

/// Process-wide access to libhdf5.
///
/// libhdf5 is not always built thread-safe, so every call into it from this module runs under
/// one recursive lock (``sync(_:)``). Failures surface as ``HDF5Error`` values, so
/// the library's own printing of error stacks to stderr is turned off.
///
/// Two per-thread states of libhdf5 are kept clean here. In thread-safe builds of libhdf5
/// (Debian's is one) both the error-printing switch and the error stack belong to the calling
/// thread, so:
/// - printing is turned off on every thread that calls in, not only the first one;
/// - the calling thread's error stack is cleared when the outermost ``sync(_:)`` returns. Each
///   entry on that stack holds a reference to libhdf5's error class and message identifiers,
///   and when a thread ends, libhdf5 frees its stack without releasing them. A failed call left
///   on the stack of a thread that has ended (e.g. ``HDF5File/isHDF5(_:)`` on a path that does
///   not exist) therefore keeps those identifiers open for good, and libhdf5's `atexit` handler
///   then prints "HDF5: infinite loop closing library" when the process ends.
enum HDF5Library {
  private static let lock: NSRecursiveLock = {
    let lock = NSRecursiveLock()
    H5open()
    return lock
  }()
  /// How many ``sync(_:)`` calls the lock holder is inside (only the holder reads or writes it).
  nonisolated(unsafe) private static var depth = 0

  /// Runs `body` while holding the library lock, with error printing off for this thread, and
  /// leaves this thread's error stack empty when the outermost call returns.
  static func sync<T>(_ body: () throws -> T) rethrows -> T {
    lock.lock()
    if depth == 0 { wb_h5_silence_errors() }
    depth += 1
    defer {
      depth -= 1
      if depth == 0 { H5Eclear2(wb_h5e_default()) }
      lock.unlock()
    }
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
