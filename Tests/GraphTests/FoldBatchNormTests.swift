import Graph
import GraphFixtures
import Tensors
import XCTest

/// FoldBatchNorm: BatchNorm disappears, the reference evaluation is unchanged, and the scale is
/// γ/√(σ² + ε).
final class FoldBatchNormTests: XCTestCase {
  func testFoldingKeepsTheReferenceEvaluationAndRemovesBatchNorm() throws {
    for graph in [
      Fixtures.withValues(try Fixtures.everyOp()),
      Fixtures.withValues(try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, resolution: 0.3))),
    ] {
      let folded = try FoldBatchNorm.run(graph)
      XCTAssertFalse(folded.nodes.contains { $0.op == .batchNorm }, graph.name)
      XCTAssertFalse(folded.parameters.keys.contains { $0.contains("_bn.") || $0.hasPrefix("bn1.") }, graph.name)
      XCTAssertNoThrow(try folded.validate())
      let feeds = Fixtures.input(for: graph)
      let before = try graph.evaluate(inputs: feeds), after = try folded.evaluate(inputs: feeds)
      for output in graph.outputs {
        let (b, a) = (try XCTUnwrap(before[output.name]), try XCTUnwrap(after[output.name]))
        let scale = b.scalars.map(abs).max() ?? 1
        XCTAssertLessThan(Fixtures.maxDifference(b, a), 1e-4 * max(scale, 1), "\(graph.name) \(output.name)")
      }
    }
  }

  func testTheFoldUsesTheStandardDeviationNotTheVariance() throws {
    var b = GraphBuilder(name: "one")
    let x = b.input("x", shape: [1, 1, 2, 2])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(1), "kernel": .ints([1, 1])])
    b.output(try b.add(.batchNorm, "bn", [c], ["epsilon": .float(0.25)]))
    var graph = try b.finish()
    let set = { (key: String, value: Float) in graph.parameters[key]?.value = Tensor(shape: [1], scalars: [value]) }
    graph.parameters["c.weight"]?.value = Tensor(shape: [1, 1, 1, 1], scalars: [2])
    set("c.bias", 1)
    set("bn.weight", 3)  // γ
    set("bn.bias", 0.5)  // β
    set("bn.running_mean", 2)  // μ
    set("bn.running_var", 3.75)  // σ²; √(σ² + ε) = 2
    let folded = try FoldBatchNorm.run(graph)
    // s = γ/√(σ²+ε) = 1.5; W' = 2·1.5 = 3 (γ/σ² would give 1.6); b' = 1.5·(1 − 2) + 0.5 = −1.
    XCTAssertEqual(folded.parameters["c.weight"]?.value?.scalars, [3])
    XCTAssertEqual(folded.parameters["c.bias"]?.value?.scalars, [-1])
    XCTAssertEqual(folded.nodes.map(\.name), ["c"])
    XCTAssertEqual(folded.nodes[0].outputs, ["bn"], "the conv writes the BatchNorm's value, so readers are unchanged")
    XCTAssertEqual(folded.outputs.map(\.name), ["bn"])
  }

  func testAConvWithoutBiasGainsOne() throws {
    let graph = Fixtures.withValues(
      try ModelZoo.graph("mobilenet-v1", options: BuildOptions(width: 0.25, resolution: 0.15)))
    XCTAssertEqual(graph.node(named: "conv1")?.bool("bias"), false)
    let folded = try FoldBatchNorm.run(graph)
    XCTAssertEqual(folded.node(named: "conv1")?.bool("bias"), true)
    XCTAssertEqual(folded.parameters["conv1.bias"]?.shape, [8])
    let feeds = Fixtures.input(for: graph, batch: 1)
    let before = try XCTUnwrap(try graph.evaluate(inputs: feeds)["logits"])
    let after = try XCTUnwrap(try folded.evaluate(inputs: feeds)["logits"])
    XCTAssertLessThan(Fixtures.maxDifference(before, after), 1e-3 * max(1, before.scalars.map(abs).max() ?? 1))
  }

  func testBatchNormNotDirectlyAfterAConvIsLeftAlone() throws {
    var b = GraphBuilder(name: "neg")
    let x = b.input("x", shape: [1, 2, 4, 4])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(2), "kernel": .ints([1, 1])])
    let r = try b.add(.relu, "r", [c])
    let bn = try b.add(.batchNorm, "bn", [r])  // after an activation: not foldable
    let c2 = try b.add(.conv, "c2", [bn], ["outChannels": .int(2), "kernel": .ints([1, 1])])
    let bn2 = try b.add(.batchNorm, "bn2", [c2])  // its conv output is also read by `sum`
    b.output(try b.add(.add, "sum", [bn2, c2]))
    let graph = Fixtures.withValues(try b.finish())
    XCTAssertEqual(try FoldBatchNorm.run(graph), graph)
    let plain = Fixtures.withValues(try ModelZoo.graph("squeezenet1.1", options: BuildOptions(resolution: 0.3)))
    XCTAssertEqual(try FoldBatchNorm.run(plain), plain, "no BatchNorm: unchanged")
  }
}
