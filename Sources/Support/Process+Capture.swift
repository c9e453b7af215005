import Foundation

/// What a finished child process printed and how it ended.
public struct CapturedOutput: Sendable {
  public var status: Int32
  public var out: String
  public var err: String
}

extension Process {
  /// Runs this (configured, not yet started) process to completion with both output streams
  /// piped and returns what it printed. Standard error is drained on another thread, so a child
  /// that writes much to both streams can never block on a full pipe.
  /// - Throws: the error of `Process.run` when it cannot be started.
  public func runCapturingOutput() throws -> CapturedOutput {
    let out = Pipe(), err = Pipe()
    standardOutput = out
    standardError = err
    try run()
    let errData = DrainedBytes()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errData.data = err.fileHandleForReading.readDataToEndOfFile()
      drained.signal()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    waitUntilExit()
    return CapturedOutput(
      status: terminationStatus, out: String(decoding: outData, as: UTF8.self),
      err: String(decoding: errData.data, as: UTF8.self))
  }
}

/// Bytes read on another thread; read only after the semaphore says the reader is done.
private final class DrainedBytes: @unchecked Sendable {
  var data = Data()
}
