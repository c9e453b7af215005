import Foundation

/// Paths of the committed fixture files (see Fixtures/make_fixtures.py).
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

  /// A fresh temporary directory; the caller removes it.
  static func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "imagestests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
