import Graph
import GraphFixtures
import GraphTraining
import Tensors
import XCTest

/// The differentiable registry covers exactly Graph's op registry, so the two lists cannot drift.
final class DifferentiableOpRegistryTests: XCTestCase {
  func testEveryOpKindInGraphsRegistryHasOneDifferentiableImplementation() {
    let kinds = DifferentiableOpRegistry.all.map { $0.kind }
    XCTAssertEqual(kinds.count, Set(kinds).count, "an op kind is registered twice")
    XCTAssertEqual(Set(kinds), Set(OpRegistry.all.map { $0.kind }))
    for op in OpRegistry.all {
      XCTAssertEqual(
        kinds.filter { $0 == op.kind }.count, 1, "\(op.kind.rawValue) has no differentiable implementation")
      // The same op type on both sides: the differentiable side extends Graph's semantics.
      XCTAssertEqual(
        ObjectIdentifier(op.kind.differentiable), ObjectIdentifier(op), "\(op.kind.rawValue) pairs with another type")
    }
  }

  func testTheExecutorRefusesIntegerParameters() throws {
    var graph = Fixtures.withValues(try Fixtures.everyOp())
    graph.parameters["d.bias"]?.data = .int32(Tensor(shape: [6], scalars: [1, 2, 3, 4, 5, 6]))
    XCTAssertThrowsError(try GraphExecutor(graph: graph)) { error in
      XCTAssertEqual(
        "\(error)",
        "Graph 'every-op' cannot be trained: parameter 'd.bias' holds int32 values; train the float32 model and quantize it afterwards."
      )
    }
  }
}
