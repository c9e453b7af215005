import XCTest

@testable import WorkbenchCLI

final class CommandLineTests: XCTestCase {
  func testRootCommandParsesAndKnowsItsVersion() throws {
    XCTAssertEqual(Workbench.configuration.version, WorkbenchVersion.string)
    XCTAssertNoThrow(try Workbench.parseAsRoot(["version"]))
    XCTAssertThrowsError(try Workbench.parseAsRoot(["no-such-command"]))
  }
}
