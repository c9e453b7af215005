import Foundation
import Support
import XCTest

final class ProcessCaptureTests: XCTestCase {
  /// Both streams and the exit status come back, also when the child writes more to standard
  /// error than a pipe holds (64 KiB) before it writes to standard output.
  func testCapturesBothStreamsAndStatus() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = ["-c", "head -c 200000 /dev/zero | tr '\\0' e >&2; echo out; exit 3"]
    let r = try p.runCapturingOutput()
    XCTAssertEqual(r.status, 3)
    XCTAssertEqual(r.out, "out\n")
    XCTAssertEqual(r.err.count, 200_000)
  }
}
