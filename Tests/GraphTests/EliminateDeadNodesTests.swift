import Graph
import GraphFixtures
import XCTest

/// EliminateDeadNodes removes what no output needs and changes no result.
final class EliminateDeadNodesTests: XCTestCase {
  static func withDeadBranch() throws -> ModelGraph {
    var b = GraphBuilder(name: "dead")
    let x = b.input("x", shape: [1, 3, 6, 6])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(4), "kernel": .ints([3, 3])])
    let r = try b.add(.relu, "r", [c])
    let aux = try b.add(.conv, "aux", [r], ["outChannels": .int(2), "kernel": .ints([1, 1])])
    _ = try b.add(.sigmoid, "aux_act", [aux])
    b.output(try b.add(.globalAvgPool, "g", [r]))
    return Fixtures.withValues(try b.finish())
  }

  func testDeadNodesTheirValuesAndParametersAreRemoved() throws {
    let graph = try Self.withDeadBranch()
    let pruned = try EliminateDeadNodes.run(graph)
    XCTAssertEqual(pruned.nodes.map(\.name), ["c", "r", "g"])
    XCTAssertEqual(pruned.values.map(\.name), ["x", "c", "r", "g"])
    XCTAssertEqual(pruned.parameters.keys.sorted(), ["c.bias", "c.weight"])
    let feeds = Fixtures.input(for: graph)
    XCTAssertEqual(try pruned.evaluate(inputs: feeds), try graph.evaluate(inputs: feeds))
  }

  func testAGraphWithoutDeadNodesIsReturnedUnchanged() throws {
    let graph = Fixtures.withValues(try Fixtures.everyOp())
    XCTAssertEqual(try EliminateDeadNodes.run(graph), graph)
  }
}
