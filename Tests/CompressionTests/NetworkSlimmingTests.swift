import Autograd
import Compression
import GraphFixtures
import GraphTraining
import Tensors
import XCTest

/// The network-slimming penalty is λ·Σ|γ| with subgradient λ·sign(γ).
final class NetworkSlimmingTests: XCTestCase {
  func testPenaltyAndGradient() throws {
    var graph = Fixtures.withValues(try Fixtures.residual())
    graph.parameters["bn1.weight"]?.value = Tensor(shape: [4], scalars: [0.5, -2, 0.1, 3])
    graph.parameters["bn2.weight"]?.value = Tensor(shape: [4], scalars: [-1, 1, 0.25, -0.75])
    let executor = try GraphExecutor(graph: graph)
    let penalty = try XCTUnwrap(NetworkSlimming.penalty(executor, lambda: 0.01))
    XCTAssertEqual(penalty.value.scalars[0], 0.01 * (5.6 + 3), accuracy: 1e-6)
    penalty.backward()
    let gamma1 = try XCTUnwrap(executor.parameters.first { $0.name == "bn1.weight" }?.variable.grad)
    XCTAssertEqual(gamma1.scalars, [0.01, -0.01, 0.01, 0.01])
    XCTAssertNil(NetworkSlimming.penalty(executor, lambda: 0))
  }
}
