import Foundation
import XCTest

@testable import Experiment

/// The code identity in every cache key is the SHA-256 of the running executable: checked
/// against coreutils' `sha256sum` (an independent implementation) on the test binary itself.
final class CodeVersionTests: XCTestCase {
  func testBuildHashIsTheExecutablesSHA256() throws {
    let exe = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    guard FileManager.default.isExecutableFile(atPath: "/usr/bin/sha256sum") else {
      throw XCTSkip("sha256sum (coreutils) is not installed")
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
    p.arguments = [exe]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    XCTAssertEqual(CodeVersion.build, text.split(separator: " ").first.map(String.init))
  }
}
