import Foundation
import XCTest

/// The handmade run folders under `Fixtures/` and temporary copies of them.
enum Fixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// A fixture run folder (read-only; copy it before writing a report).
  static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

  /// A fresh temporary directory, removed by the test case's teardown.
  static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("reporting-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
  }

  /// Copies fixture `name` to `<reportsRoot>/<experiment>/<runId>` and returns that folder.
  static func copy(_ name: String, into reportsRoot: URL, experiment: String, runId: String) throws -> URL {
    let parent = reportsRoot.appendingPathComponent(experiment)
    try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
    let destination = parent.appendingPathComponent(runId)
    try FileManager.default.copyItem(at: url(name), to: destination)
    return destination
  }
}
