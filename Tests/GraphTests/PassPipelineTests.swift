import Graph
import XCTest

/// A pipeline runs passes in order and logs what each changed.
final class PassPipelineTests: XCTestCase {
  func testThePipelineLogsEachPass() throws {
    let pipeline = try PassPipeline(names: ["fold-batchnorm", "eliminate-dead-nodes", "validate"])
    let (graph, log) = try pipeline.run(try ModelZoo.graph("squeezenet1.1-reid"))
    XCTAssertFalse(graph.nodes.contains { $0.op == .batchNorm })
    XCTAssertEqual(log.map(\.pass), ["fold-batchnorm", "eliminate-dead-nodes", "validate"])
    XCTAssertEqual(log.map(\.changed), [true, false, false])
    XCTAssertEqual(log[0].nodes, [90, 64])
    XCTAssertEqual(log[0].parameters, [725_449, 722_502])
  }

  func testUnknownPassNamesAreRejected() {
    XCTAssertThrowsError(try PassPipeline(names: ["fold-bn"])) { error in
      XCTAssertTrue(
        "\(error)".contains(
          "There is no pass named 'fold-bn' (passes: validate, fold-batchnorm, eliminate-dead-nodes, equalize)."),
        "\(error)")
    }
  }
}
