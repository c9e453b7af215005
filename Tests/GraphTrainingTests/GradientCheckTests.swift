import Autograd
import Graph
import GraphFixtures
import GraphTraining
import TestSupport
import XCTest

/// The differentiable evaluation's gradients agree with finite differences of the reference
/// evaluation, through every op of the fixture graph (inference mode, so BatchNorm and Dropout
/// are deterministic).
final class GradientCheckTests: XCTestCase {
  func testParameterGradientsMatchFiniteDifferencesOfTheReferenceEvaluation() throws {
    let graph = Fixtures.withValues(try Fixtures.everyOp(), seed: 11)
    let feeds = Fixtures.input(for: graph, batch: 2, seed: 12)
    var rng = RandomStream(seed: 13)
    let projection = Tensor<Float>.uniform([2, 3, 2], low: -1, high: 1, rng: &rng)
    // loss = Σ out ⊙ projection
    func loss(_ g: ModelGraph) throws -> Double {
      let out = try XCTUnwrap(try g.evaluate(inputs: feeds)["out"])
      return zip(out.scalars, projection.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
    }
    let executor = try GraphExecutor(graph: graph)
    let out = try XCTUnwrap(executor.forward(inputs: feeds.mapValues { Variable($0) }, training: false)["out"])
    (out * Variable(projection)).sum().backward()
    var checked = 0
    for (name, variable) in executor.parameters {
      let grad = try XCTUnwrap(variable.grad, name)
      let value = try XCTUnwrap(graph.parameters[name]?.value, name)
      let indices = [0, variable.value.count / 2, variable.value.count - 1]
      let numeric = try GradientChecker.numeric([value], step: 1e-2, elements: { _ in indices }) { shifted in
        var g = graph
        g.parameters[name]?.value = shifted[0]
        return try loss(g)
      }
      GradientChecker.assertClose(
        name, analytic: [indices.map { Double(grad.scalars[$0]) }], numeric: numeric,
        absolute: 2e-3, relative: 2e-2)
      checked += indices.count
    }
    XCTAssertEqual(checked, 33)
  }
}
