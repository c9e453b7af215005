import Foundation
import XCTest

@testable import Reporting

/// Rendered output compared with committed snapshots under `Fixtures/snapshots/`.
///
/// After an intended change, re-record with `WORKBENCH_RECORD_SNAPSHOTS=1 swift test --filter
/// SnapshotTests` and review the diff before committing it.
final class SnapshotTests: XCTestCase {
  func assertSnapshot(_ text: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let url = Fixtures.root.appendingPathComponent("snapshots").appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["WORKBENCH_RECORD_SNAPSHOTS"] == "1" {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url)
      return
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    if text != expected {
      let a = text.split(separator: "\n", omittingEmptySubsequences: false)
      let b = expected.split(separator: "\n", omittingEmptySubsequences: false)
      let first = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
      XCTFail(
        "\(name) differs from the snapshot at line \(first + 1):\n  got:      \(first < a.count ? String(a[first]) : "<end>")\n  expected: \(first < b.count ? String(b[first]) : "<end>")",
        file: file, line: line)
    }
  }

  func testRunReportMarkdown() throws {
    try assertSnapshot(MarkdownRenderer.render(try RunReport.load(from: Fixtures.url("run")).document()), "run.md")
  }

  func testFailedRunReportMarkdown() throws {
    try assertSnapshot(
      MarkdownRenderer.render(try RunReport.load(from: Fixtures.url("run-failed")).document()), "run-failed.md")
  }

  func testVerificationRunReportMarkdown() throws {
    try assertSnapshot(
      MarkdownRenderer.render(try RunReport.load(from: Fixtures.url("run-verification")).document()),
      "run-verification.md")
  }
}
