import Graph
import GraphFixtures
import Tensors
import XCTest

/// The reference evaluation: hand values and the sentences for what is missing.
final class EvaluationTests: XCTestCase {
  func testReferenceEvaluationOfSmallOpsHasHandValues() throws {
    var b = GraphBuilder(name: "hand")
    let x = b.input("x", shape: [1, 2, 1, 1])
    let n = try b.add(.l2Normalize, "n", [x], ["epsilon": .float(0)])
    b.output(n)
    let y = try b.finish().evaluate(inputs: ["x": Tensor(shape: [1, 2, 1, 1], scalars: [3, 4])])
    XCTAssertEqual(y["n"]?.scalars ?? [], [0.6, 0.8], accuracy: 1e-6)
  }

  func testEvaluatingAGraphWithoutValuesSaysWhatIsMissing() throws {
    let graph = try ModelZoo.graph("tiny-yolo")
    XCTAssertThrowsError(try graph.evaluate(inputs: Fixtures.input(for: graph, batch: 1))) { error in
      XCTAssertEqual(
        "\(error)",
        "Graph 'tiny-yolo' cannot be evaluated: parameter 'conv1.weight' has no value (load weights or use a GraphExecutor, which initialises them)."
      )
    }
    XCTAssertThrowsError(try graph.evaluate(inputs: ["image": Tensor(zeros: [1, 3, 10, 10])])) { error in
      XCTAssertEqual(
        "\(error)", "Graph 'tiny-yolo' input 'image' must have shape [N, 3, 224, 224], got [1, 3, 10, 10].")
    }
  }
}

private func XCTAssertEqual(
  _ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line
) {
  XCTAssertEqual(a.count, b.count, file: file, line: line)
  for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
}
