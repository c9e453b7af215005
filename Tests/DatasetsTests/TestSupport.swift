import Datasets
import Foundation
import Images
import XCTest

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

/// A generator's determinism contract: the same settings write byte-identical files whose
/// returned content hash is the file's own, and another seed changes the hash. `write(seed,
/// path)` writes with the test's settings and the given seed (nil: the settings' own).
func assertReproducible(
  in dir: TemporaryDirectory, write: (UInt64?, String) throws -> String, file: StaticString = #filePath,
  line: UInt = #line
) throws {
  let one = try write(nil, dir.file("one.h5"))
  let two = try write(nil, dir.file("two.h5"))
  XCTAssertEqual(one, two, file: file, line: line)
  XCTAssertEqual(try DatasetFile(path: dir.file("one.h5")).computeContentHash(), one, file: file, line: line)
  XCTAssertEqual(
    try Data(contentsOf: URL(fileURLWithPath: dir.file("one.h5"))),
    try Data(contentsOf: URL(fileURLWithPath: dir.file("two.h5"))), file: file, line: line)
  XCTAssertNotEqual(try write(1, dir.file("three.h5")), one, file: file, line: line)
}
