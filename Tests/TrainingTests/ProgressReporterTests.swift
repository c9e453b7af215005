import XCTest

@testable import Training

/// The reporter's runner-facing half (stage lines and status); the training bar and epoch lines
/// are checked end to end in `TrainerTests.testProgressLinesAndBar`.
final class ProgressReporterTests: XCTestCase {
  func testStatusIsLiveOnlyOnATerminalAndClearedByTheNextLine() {
    var out = ""
    let terminal = ProgressReporter(isTerminal: true) { out += $0 }
    terminal.status("evaluating 1/2")
    terminal.line("done")
    XCTAssertEqual(out, "\r\u{1B}[2Kevaluating 1/2" + "\r\u{1B}[2K" + "done\n")

    var log = ""
    let file = ProgressReporter(isTerminal: false) { log += $0 }
    XCTAssertFalse(file.isTerminal)
    file.status("evaluating 1/2")
    file.line("done")
    XCTAssertEqual(log, "done\n")
  }

  func testQuietAndSilentWriteNothing() {
    var out = ""
    let quiet = ProgressReporter(isTerminal: true) { out += $0 }
    quiet.quiet = true
    quiet.status("x")
    quiet.line("y")
    let silent = ProgressReporter(mode: .silent) { out += $0 }
    silent.line("z")
    XCTAssertEqual(out, "")
  }
}

/// The epoch line's breakdown of the training time by phase, in the loop's order.
final class EpochPhaseLineTests: XCTestCase {
  func testPhasesInLoopOrderWithOneDecimal() {
    let line = ProgressReporter.phases([
      "backward": 5.94, "data": 0.06, "forward": 3.0, "optimizer": 0.71, "loss": 0.44,
    ])
    XCTAssertEqual(line, " (data 0.1, forward 3.0, loss 0.4, backward 5.9, optimizer 0.7 s)")
    XCTAssertEqual(ProgressReporter.phases([:]), "")
    XCTAssertEqual(ProgressReporter.phases(["zeta": 1, "forward": 2]), " (forward 2.0, zeta 1.0 s)")
  }
}
