import Foundation

/// `Benchmarks/compare_pytorch.py` running beside the benchmark: one long-lived process, so
/// Workbench and PyTorch can be measured in alternating rounds of the same run.
final class PyTorchPeer {
  let process = Process()
  let input = Pipe(), output = Pipe()
  var buffer = Data()
  /// The peer's `reason` (or raw text) of the last line read, for the message when it fails.
  private var lastReason: String?
  /// The torch version the peer reported.
  private(set) var version = ""

  /// Starts the peer; nil (with the reason in `failure`) when python3 or torch is missing.
  init?(script: URL, failure: inout String) {
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", script.path]
    process.standardInput = input
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { failure = "could not start python3 (\(error))"; return nil }
    guard let hello = readJSON(), hello["ready"] as? Bool == true else {
      failure = lastReason ?? "the peer did not start"
      stop()
      return nil
    }
    version = hello["torch"] as? String ?? "?"
  }

  /// Images per second of `steps` steps of `kind` ("train" or "infer") in PyTorch; nil when
  /// the peer has gone (SIGPIPE is ignored by the benchmark, so a dead peer is an error here).
  func measure(_ kind: String, steps: Int) -> Double? {
    guard (try? input.fileHandleForWriting.write(contentsOf: Data("\(kind) \(steps)\n".utf8))) != nil else {
      return nil
    }
    return readJSON()?["ips"] as? Double
  }

  /// Closes the peer's stdin (it exits at end of input) and waits for it.
  func stop() {
    try? input.fileHandleForWriting.close()
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
  }

  private func readJSON() -> [String: Any]? {
    while true {
      if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
        let line = buffer[buffer.startIndex..<newline]
        buffer = Data(buffer[(newline + 1)...])
        let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
        lastReason = object?["reason"] as? String ?? (object == nil ? String(decoding: line, as: UTF8.self) : nil)
        return object
      }
      let chunk = output.fileHandleForReading.availableData
      if chunk.isEmpty { return nil }
      buffer.append(chunk)
    }
  }
}

/// The median of a non-empty list (mean of the middle two for even counts).
func median(_ xs: [Double]) -> Double {
  let s = xs.sorted()
  guard !s.isEmpty else { return .nan }
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}
