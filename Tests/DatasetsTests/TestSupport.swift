import Foundation
import Images

/// A fresh temporary directory for one test.
struct TemporaryDirectory {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "datasetstests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  func file(_ name: String) -> String { path + "/" + name }

  /// Writes text to a file, creating folders.
  func write(_ text: String, to name: String) throws {
    let target = file(name)
    try FileManager.default.createDirectory(
      atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: target))
  }

  /// Writes a solid-colour PNG, creating folders.
  func writePNG(_ name: String, width: Int = 20, height: Int = 10, value: UInt8 = 100, channels: Int = 3) throws {
    let target = file(name)
    try FileManager.default.createDirectory(
      atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Image(width: width, height: height, channels: channels, fill: value).writePNG(to: target)
  }

  /// The names in the directory (non-recursive), sorted.
  func listing() -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).sorted()
  }

  func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Committed image fixtures shared with ImagesTests.
enum Fixtures {
  static let jpeg = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("ImagesTests/Fixtures/rgb.jpg")
}
