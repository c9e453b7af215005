import Graph
import GraphFixtures
import XCTest

/// Validation reports every broken invariant, each naming its node.
final class ValidationTests: XCTestCase {
  private func small() throws -> ModelGraph {
    var b = GraphBuilder(name: "small")
    let x = b.input("x", shape: [1, 3, 8, 8])
    let c = try b.add(.conv, "conv", [x], ["outChannels": .int(4), "kernel": .ints([3, 3])])
    let r = try b.add(.relu, "relu", [c])
    let p = try b.add(.maxPool, "pool", [r], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    b.output(p)
    return try b.finish()
  }

  private func issues(_ graph: ModelGraph) -> [String] { graph.issues().map(\.description) }

  func testAValidGraphHasNoIssues() throws {
    XCTAssertEqual(try small().issues(), [])
    XCTAssertEqual(try Fixtures.everyOp().issues(), [])
  }

  func testDuplicateNodeNamesAreReported() throws {
    var g = try small()
    g.nodes[1].name = "conv"
    XCTAssertTrue(
      issues(g).contains { $0.hasPrefix("Node 'conv': the node name is used more than once") }, "\(issues(g))")
  }

  func testNodeNamesUsableInWeightFilesAreRequired() throws {
    var g = try small()
    g.nodes[1].name = "block/relu"
    XCTAssertTrue(
      issues(g).contains(
        "Node 'block/relu': the node name must not contain '/' or '.' (it is used in weight-file paths and parameter names)."
      ), "\(issues(g))")
    var b = GraphBuilder(name: "n")
    let x = b.input("x", shape: [1, 2])
    XCTAssertThrowsError(try b.add(.relu, "a.b", [x]))
  }

  func testDuplicateValueNamesAreReported() throws {
    var g = try small()
    g.values.append(ValueInfo(name: "relu", shape: [1, 4, 6, 6]))
    XCTAssertTrue(issues(g).contains("Value 'relu' is declared more than once."), "\(issues(g))")
  }

  func testMissingInputsAreReported() throws {
    var g = try small()
    g.nodes[1].inputs = ["nowhere"]
    XCTAssertTrue(
      issues(g).contains("Node 'relu': input 'nowhere' is missing: no graph input or earlier node produces it."),
      "\(issues(g))")
  }

  func testNodesOutOfTopologicalOrderAreReported() throws {
    var g = try small()
    g.nodes.swapAt(1, 2)
    XCTAssertTrue(
      issues(g).contains(
        "Node 'pool': input 'relu' is produced by node 'relu', which comes later; nodes must be topologically sorted."),
      "\(issues(g))")
  }

  func testShapeMismatchesAreReported() throws {
    var g = try small()
    g.values[g.values.firstIndex { $0.name == "relu" } ?? 0].shape = [1, 4, 7, 7]
    XCTAssertTrue(
      issues(g).contains(
        "Node 'relu': output 'relu' is declared with shape [1, 4, 7, 7] but ReLU produces [1, 4, 6, 6]."),
      "\(issues(g))")
    var h = try small()
    h.parameters["conv.weight"]?.shape = [4, 2, 3, 3]
    XCTAssertTrue(
      issues(h).contains("Node 'conv': parameter 'conv.weight' has shape [4, 2, 3, 3] but the op needs [4, 3, 3, 3]."),
      "\(issues(h))")
  }

  func testBadAttributesAreReportedWithTheNode() throws {
    var g = try small()
    g.nodes[2].attributes["kernal"] = .ints([2, 2])
    g.nodes[0].attributes["groups"] = .float(2)
    let found = issues(g)
    XCTAssertTrue(found.contains { $0.hasPrefix("Node 'pool': MaxPool has no attribute 'kernal'") }, "\(found)")
    XCTAssertTrue(found.contains("Node 'conv': attribute 'groups' must be int, got float 2.0."), "\(found)")
  }

  func testAllProblemsAreReportedAtOnce() throws {
    var g = try small()
    g.nodes[1].inputs = ["nowhere"]
    g.nodes[2].name = "conv"
    g.parameters["ghost.weight"] = Parameter(shape: [1])
    let error = try XCTUnwrap(XCTAssertThrowsErrorReturning(try g.validate()) as? GraphValidationError)
    XCTAssertGreaterThanOrEqual(error.issues.count, 3)
    XCTAssertTrue(error.description.hasPrefix("Graph 'small' is invalid ("))
    XCTAssertTrue(error.issues.contains { $0.message == "Parameter 'ghost.weight' belongs to no node of the graph." })
  }

  func testTheIRVersionIsCheckedOnDecoding() throws {
    let g = try small()
    var json = String(decoding: try JSONEncoder().encode(g), as: UTF8.self)
    XCTAssertEqual(try JSONDecoder().decode(ModelGraph.self, from: Data(json.utf8)), g)
    json = json.replacingOccurrences(of: "\"version\":1", with: "\"version\":99")
    XCTAssertThrowsError(try JSONDecoder().decode(ModelGraph.self, from: Data(json.utf8))) { error in
      XCTAssertTrue("\(error)".contains("Graph IR version 99 is not supported"), "\(error)")
    }
  }
}

/// Returns the error `body` throws (nil, and a failure, if it does not).
func XCTAssertThrowsErrorReturning<T>(
  _ body: @autoclosure () throws -> T, file: StaticString = #filePath, line: UInt = #line
) -> Error? {
  do {
    _ = try body()
    XCTFail("expected an error", file: file, line: line)
    return nil
  } catch {
    return error
  }
}
