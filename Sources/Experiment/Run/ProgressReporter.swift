import Foundation

/// Progress lines for people: which stage of how many, and the stage's own progress. On a
/// terminal a stage may redraw one status line; in logs and CI each update is a plain line.
public final class ProgressReporter: @unchecked Sendable {
  public let isTerminal: Bool
  private let write: (String) -> Void
  private var liveLine = false
  public var quiet = false

  public init(isTerminal: Bool = isatty(1) != 0, write: @escaping (String) -> Void = { s in FileHandle.standardOutput.write(Data(s.utf8)) }) {
    self.isTerminal = isTerminal
    self.write = write
  }

  /// A line that stays.
  public func line(_ text: String) {
    guard !quiet else { return }
    if liveLine { write("\r\u{1B}[2K"); liveLine = false }
    write(text + "\n")
  }

  /// A status line redrawn in place on a terminal; ignored in logs (use ``line(_:)`` there).
  public func status(_ text: String) {
    guard !quiet, isTerminal else { return }
    write("\r\u{1B}[2K" + text)
    liveLine = true
  }
}
