import Foundation
import Support
import XCTest

/// File-system failures read as sentences naming the file, what it is, and why in plain words.
final class FileSystemTests: XCTestCase {
  var dir: URL!

  override func setUpWithError() throws {
    dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-fs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

  /// A regular file in the scratch folder (for "a parent is not a folder").
  func plainFile() throws -> URL {
    let file = dir.appendingPathComponent("plain.txt")
    try Data("x".utf8).write(to: file)
    return file
  }

  func assertSentence<T>(_ expression: @autoclosure () throws -> T, _ expected: String, line: UInt = #line) {
    XCTAssertThrowsError(try expression(), line: line) { error in
      XCTAssertTrue(error is FileSystemError, "\(type(of: error)): \(error)", line: line)
      XCTAssertEqual("\(error)", expected, line: line)
    }
  }

  func testCreatingAFolderBelowAFileSaysAParentIsNotAFolder() throws {
    let target = try plainFile().appendingPathComponent("x")
    assertSentence(
      try FileSystem.createFolder(target, "the reports folder"),
      "cannot create the reports folder \(target.path): a parent is not a folder")
  }

  func testReadingSaysWhatIsMissingOrWrong() throws {
    let missing = dir.appendingPathComponent("missing.json").path
    assertSentence(
      try FileSystem.read(missing, "the experiment file"),
      "cannot read the experiment file \(missing): no such file or folder")
    assertSentence(
      try FileSystem.read(dir.path, "the results file"), "cannot read the results file \(dir.path): it is a folder")
    let below = try plainFile().appendingPathComponent("y.json").path
    assertSentence(try FileSystem.read(below), "cannot read the file \(below): a parent is not a folder")
    XCTAssertEqual(try FileSystem.readText(try plainFile().path), "x")
  }

  func testListingMovingCopyingAndRemoving() throws {
    let file = try plainFile()
    assertSentence(
      try FileSystem.contents(ofFolder: file.path, "the image folder"),
      "cannot list the image folder \(file.path): it is not a folder")
    let missing = dir.appendingPathComponent("gone")
    let destination = dir.appendingPathComponent("there").path
    assertSentence(
      try FileSystem.move(missing.path, to: destination, "the latest link"),
      "cannot move the latest link \(missing.path) to \(destination): no such file or folder")
    assertSentence(
      try FileSystem.copy(missing, to: dir.appendingPathComponent("copy")),
      "cannot copy the file \(missing.path) to \(dir.appendingPathComponent("copy").path): no such file or folder")
    assertSentence(
      try FileSystem.remove(missing, "the cache entry"),
      "cannot remove the cache entry \(missing.path): no such file or folder")
    try FileSystem.move(file.path, to: destination)
    XCTAssertEqual(try FileSystem.readText(destination), "x")
  }

  func testAtomicWriteNamesTheDestinationNotTheTemporaryFile() throws {
    let target = dir.appendingPathComponent("no-folder/out.json").path
    assertSentence(
      try AtomicFile.write(Data("{}".utf8), to: target, sync: false, "the summary"),
      "cannot write the summary \(target): no such file or folder")
    let below = try plainFile().appendingPathComponent("sub/out.json")
    assertSentence(
      try AtomicFile.write(Data("{}".utf8), to: below),
      "cannot create the folder \(below.deletingLastPathComponent().path): a parent is not a folder")
    XCTAssertEqual(
      try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["plain.txt"], "no temporary file is left"
    )
  }

  func testReasonsInPlainWords() {
    let words: [(Int32, String)] = [
      (ENOENT, "no such file or folder"), (EACCES, "permission denied"), (EPERM, "permission denied"),
      (ENOTDIR, "a parent is not a folder"), (EISDIR, "it is a folder"), (ENOSPC, "disk full"),
      (EROFS, "read-only file system"), (EEXIST, "it already exists"),
    ]
    for (code, text) in words { XCTAssertEqual(FileSystemError.reason(errno: code), text, "errno \(code)") }
    XCTAssertEqual(FileSystemError.reason(errno: ENOTDIR, action: .list), "it is not a folder")
    // What Foundation throws: Cocoa codes, with or without an underlying POSIX error.
    let underlying = NSError(domain: NSPOSIXErrorDomain, code: Int(EROFS))
    XCTAssertEqual(
      FileSystemError.reason(
        for: NSError(domain: NSCocoaErrorDomain, code: 512, userInfo: [NSUnderlyingErrorKey: underlying])),
      "read-only file system")
    XCTAssertEqual(FileSystemError.reason(for: CocoaError(.fileWriteOutOfSpace)), "disk full")
    XCTAssertEqual(FileSystemError.reason(for: CocoaError(.fileReadNoPermission)), "permission denied")
    XCTAssertEqual(FileSystemError.reason(for: CocoaError(.fileWriteVolumeReadOnly)), "read-only file system")
    XCTAssertEqual(FileSystemError.reason(for: POSIXError(.EACCES)), "permission denied")
  }
}
