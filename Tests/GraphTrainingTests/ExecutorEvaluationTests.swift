import Autograd
import Graph
import GraphFixtures
import GraphTraining
import XCTest

/// The differentiable evaluation equals the reference evaluation, and trains.
final class ExecutorEvaluationTests: XCTestCase {
  func testDifferentiableEvaluationEqualsReferenceEvaluation() throws {
    let graph = Fixtures.withValues(try Fixtures.everyOp())
    let executor = try GraphExecutor(graph: graph)
    let feeds = Fixtures.input(for: graph)
    let reference = try graph.evaluate(inputs: feeds)
    let viaExecutor = executor.referenceEvaluate(inputs: feeds)
    let differentiable = executor.forward(inputs: feeds.mapValues { Variable($0) }, training: false)
    for output in graph.outputs {
      let r = try XCTUnwrap(reference[output.name])
      XCTAssertEqual(r.shape, [2, 3, 2])
      XCTAssertLessThan(Fixtures.maxDifference(r, try XCTUnwrap(differentiable[output.name]).value), 1e-5)
      XCTAssertEqual(r, viaExecutor[output.name])
    }
  }

  func testTrainingUpdatesBatchNormStatisticsAndGradientsReachEveryParameter() throws {
    let graph = try Fixtures.everyOp()
    let executor = try GraphExecutor(graph: graph, random: RandomStream(seed: 1).split("init"))
    let before = try XCTUnwrap(executor.batchNormState("bn1")?.runningMean)
    let feeds = Fixtures.input(for: graph, batch: 4).mapValues { Variable($0) }
    let out = try XCTUnwrap(executor.forward(inputs: feeds, training: true)["out"])
    (out * out).sum().backward()
    XCTAssertNotEqual(executor.batchNormState("bn1")?.runningMean, before)
    for (name, variable) in executor.parameters {
      XCTAssertNotNil(variable.grad, "\(name) got no gradient")
    }
    // Trainable parameters in node order, roles in op order; BatchNorm statistics are not among them.
    XCTAssertEqual(
      executor.parameters.map(\.name),
      [
        "c1.weight", "c1.bias", "bn1.weight", "bn1.bias", "dw.weight", "dw.bias", "a.weight", "c2.weight", "c2.bias",
        "d.weight", "d.bias",
      ])
  }

  func testInitialisationIsDeterministicAndExportable() throws {
    let graph = try Fixtures.everyOp()
    let a = try GraphExecutor(graph: graph, random: RandomStream(seed: 5))
    let b = try GraphExecutor(graph: graph, random: RandomStream(seed: 5))
    let c = try GraphExecutor(graph: graph, random: RandomStream(seed: 6))
    XCTAssertEqual(a.exportGraph(), b.exportGraph())
    XCTAssertNotEqual(a.exportGraph(), c.exportGraph())
    let exported = a.exportGraph()
    XCTAssertTrue(exported.hasParameterValues)
    XCTAssertEqual(exported.parameters["bn1.running_var"]?.value?.scalars, [1, 1, 1, 1])
    XCTAssertEqual(exported.parameters["c1.bias"]?.value?.scalars, [0, 0, 0, 0])
    // Loaded values are kept, not re-initialised.
    let reloaded = try GraphExecutor(graph: exported, random: RandomStream(seed: 99))
    XCTAssertEqual(reloaded.exportGraph(), exported)
  }

  func testDropoutDropsOnlyInTraining() throws {
    var b = GraphBuilder(name: "drop")
    let x = b.input("x", shape: [1, 1000])
    b.output(try b.add(.dropout, "d", [x], ["rate": .float(0.5)]))
    let executor = try GraphExecutor(graph: try b.finish())
    let ones = Variable(Tensor(repeating: 1, shape: [1, 1000]))
    let eval = try XCTUnwrap(executor.forward(inputs: ["x": ones], training: false)["d"]).value
    XCTAssertEqual(eval.scalars, [Float](repeating: 1, count: 1000))
    let train = try XCTUnwrap(executor.forward(inputs: ["x": ones], training: true)["d"]).value
    let zeros = train.scalars.filter { $0 == 0 }.count
    XCTAssertTrue((400...600).contains(zeros), "\(zeros) of 1000 dropped")
    XCTAssertTrue(train.scalars.allSatisfy { $0 == 0 || $0 == 2 })
    let again = try XCTUnwrap(executor.forward(inputs: ["x": ones], training: true)["d"]).value
    XCTAssertNotEqual(train, again, "each training pass draws a new mask")
  }
}
