import Autograd
import Compression
import Graph
import GraphFixtures
import GraphTraining
import Tensors
import TestSupport
import Training
import XCTest

/// The network-slimming penalty is λ·Σ|γ| with subgradient λ·sign(γ); added to a task loss it
/// makes the learnt γ sparse.
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

  /// The gradient of task + λ·Σ|γ| (the objective `train.sparsity` trains) with respect to every
  /// γ matches central finite differences of the same objective recomputed from the graph. The
  /// graph (conv → BN → conv → BN, no activation) is smooth in γ away from γ = 0, so differences
  /// converge.
  func testObjectiveGradientMatchesFiniteDifferences() throws {
    var b = GraphBuilder(name: "smooth")
    let x = b.input("image", shape: [1, 2, 5, 5])
    let conv: [String: Attribute] = ["outChannels": .int(3), "kernel": .ints([3, 3]), "bias": .bool(false)]
    let y = try b.add(.batchNorm, "bn1", [try b.add(.conv, "c1", [x], conv)])
    b.output(try b.add(.batchNorm, "bn2", [try b.add(.conv, "c2", [y], conv)]))
    var graph = Fixtures.withValues(try b.finish())
    let gammas: [Tensor<Float>] = [
      Tensor(shape: [3], scalars: [0.5, -0.8, 0.3]), Tensor(shape: [3], scalars: [-0.6, 0.9, 0.45]),
    ]
    let input = try XCTUnwrap(Fixtures.input(for: graph)["image"])
    let lambda: Float = 0.3
    func objective(_ g: [Tensor<Float>]) throws -> (GraphExecutor, Variable) {
      graph.parameters["bn1.weight"]?.value = g[0]
      graph.parameters["bn2.weight"]?.value = g[1]
      let executor = try GraphExecutor(graph: graph)
      let task = { (out: Variable, _: Int) in LossTerms("task", (out * out).sum()) }
      let total = NetworkSlimming.objective(task, executor: executor, lambda: lambda)
      let out = try XCTUnwrap(executor.forward(inputs: ["image": Variable(input)], training: false)["bn2"])
      let terms = total(out, 0)
      XCTAssertEqual(terms.terms.map(\.name), ["task", "sparsity"])
      return (executor, terms.total)
    }
    let (executor, total) = try objective(gammas)
    total.backward()
    let analytic = try ["bn1.weight", "bn2.weight"].map { name in
      try XCTUnwrap(executor.parameters.first { $0.name == name }?.variable.grad).scalars.map(Double.init)
    }
    let numeric = try GradientChecker.numeric(gammas, step: 1e-2) { shifted in
      Double(try objective(shifted).1.value.scalars[0])
    }
    XCTAssertTrue(numeric.joined().contains { abs($0) > 2 * Double(lambda) }, "the task part is not negligible")
    GradientChecker.assertClose("task + λ·Σ|γ|", analytic: analytic, numeric: numeric, absolute: 1e-3, relative: 5e-3)
  }

  /// A real learning test: the same model trained on the same batches with and without λ·Σ|γ|;
  /// with the penalty most γ end near zero (the distribution network slimming prunes from) while
  /// the task is still learnt.
  func testSparsityDrivesBatchNormScalesToZero() throws {
    let (trainSet, testSet) = (Quadrants.data(1024, seed: 1), Quadrants.data(256, seed: 2))
    func gammas(_ g: ModelGraph) -> [Float] {
      ["bn1.weight", "bn2.weight"].flatMap { g.parameters[$0]?.value?.scalars ?? [] }
    }
    let plain = try Quadrants.train(try Quadrants.model(), trainSet, steps: 120)
    let slim = try Quadrants.train(try Quadrants.model(), trainSet, steps: 120, sparsity: 0.02)
    let (g0, g1) = (gammas(plain), gammas(slim))
    XCTAssertEqual(g0.count, 32)
    let l1 = { (g: [Float]) in g.reduce(0) { $0 + abs($1) } }
    let nearZero = { (g: [Float]) in g.filter { abs($0) < 0.05 }.count }
    let small = { (g: [Float]) in g.filter { abs($0) < 0.25 * (g.map(abs).max() ?? 0) }.count }
    // Measured: Σ|γ| 32.2 → 11.8; |γ| < 0.05: 0 → 5; below a quarter of the largest: 0 → 9
    // (without the penalty every γ stays in 0.83…1.21).
    XCTAssertLessThan(l1(g1), 0.5 * l1(g0))
    XCTAssertEqual(nearZero(g0), 0)
    XCTAssertGreaterThanOrEqual(nearZero(g1), 3)
    XCTAssertEqual(small(g0), 0)
    XCTAssertGreaterThanOrEqual(small(g1), 6)
    XCTAssertGreaterThan(try Quadrants.accuracy(slim, testSet), 0.9)
  }
}
