import Autograd
import Graph
import GraphFixtures
import GraphTraining
import XCTest

/// `batchNormActivationPairs()` (a pure analysis) and its use by the executor.
final class FusionTests: XCTestCase {
  /// BN → leaky (fused); BN → ReLU but the BN value is also a graph output (not fused); BN read
  /// by two nodes (not fused); BN → leaky with a negative slope (not fused); BN → ReLU6 (not a
  /// fusable activation); BN → ReLU (fused).
  func graph() throws -> ModelGraph {
    var b = GraphBuilder(name: "fusion")
    let x = b.input("x", shape: [1, 2, 4, 4])
    let bn1 = try b.add(.batchNorm, "bn1", [x])
    let a1 = try b.add(.leakyRelu, "a1", [bn1], ["alpha": .float(0.1)])
    let bn2 = try b.add(.batchNorm, "bn2", [a1])
    let a2 = try b.add(.relu, "a2", [bn2])
    let bn3 = try b.add(.batchNorm, "bn3", [a2])
    let a3 = try b.add(.relu, "a3", [bn3])
    let s3 = try b.add(.sigmoid, "s3", [bn3])
    let sum = try b.add(.add, "sum", [a3, s3])
    let bn4 = try b.add(.batchNorm, "bn4", [sum])
    let a4 = try b.add(.leakyRelu, "a4", [bn4], ["alpha": .float(-0.5)])
    let bn5 = try b.add(.batchNorm, "bn5", [a4])
    let a5 = try b.add(.relu6, "a5", [bn5])
    let bn6 = try b.add(.batchNorm, "bn6", [a5])
    let a6 = try b.add(.relu, "a6", [bn6])
    b.output(bn2)
    b.output(a6)
    return try b.finish()
  }

  func testPairs() throws {
    XCTAssertEqual(
      try graph().batchNormActivationPairs(),
      [
        BatchNormActivationPair(batchNorm: "bn1", activationNode: "a1", activation: .leakyRelu(0.1)),
        BatchNormActivationPair(batchNorm: "bn6", activationNode: "a6", activation: .relu),
      ])
    XCTAssertEqual(try Fixtures.everyOp().batchNormActivationPairs().map(\.activationNode), ["r1"])
  }

  /// The executor runs fused pairs as one step (so its `around` hook sees one label) and its
  /// outputs equal the reference evaluation, which runs every node on its own, in inference
  /// mode; in training mode every parameter still gets a gradient.
  func testExecutorRunsFusedPairsAsOneStep() throws {
    let g = Fixtures.withValues(try graph())
    let executor = try GraphExecutor(graph: g)
    var labels: [String] = []
    let feeds = Fixtures.input(for: g, batch: 3)
    let out = executor.forward(inputs: feeds.mapValues { Variable($0) }, training: false) { label, step in
      labels.append(label)
      return step()
    }
    XCTAssertEqual(
      labels,
      [
        "BatchNorm+LeakyReLU", "BatchNorm", "ReLU", "BatchNorm", "ReLU", "Sigmoid", "Add",
        "BatchNorm", "LeakyReLU", "BatchNorm", "ReLU6", "BatchNorm+ReLU",
      ])
    let reference = try g.evaluate(inputs: feeds)
    for name in ["bn2", "a6"] {
      XCTAssertLessThan(
        Fixtures.maxDifference(try XCTUnwrap(reference[name]), try XCTUnwrap(out[name]).value), 1e-5, name)
    }
    let trained = executor.forward(inputs: feeds.mapValues { Variable($0) }, training: true)
    (try XCTUnwrap(trained["a6"]) * 1).sum().backward()
    for (name, variable) in executor.parameters { XCTAssertNotNil(variable.grad, name) }
  }
}
