import Graph
import XCTest

/// The Validate pass returns a valid graph unchanged and reports every problem of an invalid one.
final class ValidateGraphTests: XCTestCase {
  func testValidatePassReturnsTheGraphOrEveryProblem() throws {
    let graph = try EliminateDeadNodesTests.withDeadBranch()
    XCTAssertEqual(try ValidateGraph.run(graph), graph)
    var broken = graph
    broken.nodes[1].inputs = ["missing"]
    XCTAssertThrowsError(try ValidateGraph.run(broken)) { error in
      XCTAssertTrue("\(error)".contains("Node 'r': input 'missing' is missing"), "\(error)")
    }
    XCTAssertThrowsError(try EliminateDeadNodes.run(broken), "passes refuse invalid graphs")
  }
}
