import Graph
import GraphFixtures
import Tensors
import XCTest

/// Depth pruning: removing a residual branch whose output is zero, or a conv-BN-ReLU block
/// that computes the identity, leaves the graph's outputs unchanged; MACs drop by the block's.
final class BlockRemovalTests: XCTestCase {
  func testAZeroResidualBranchIsRemovedExactly() throws {
    // c1 → bn1 → r1; c2(r1) → bn2; sum = add(bn2, r1) → r2 → head
    var graph = Fixtures.withValues(try Fixtures.residual())
    let blocks = BlockRemoval.blocks(graph)
    XCTAssertEqual(
      blocks.map { "\($0.kind.rawValue) \($0.id) \($0.nodes) \($0.input)" },
      ["sequential bn2 [\"c2\", \"bn2\"] r1", "residual_branch sum [\"c2\", \"bn2\", \"sum\"] r1"])
    // γ = β = 0 in bn2: the branch adds exactly zero
    graph.parameters["bn2.weight"]?.value = Tensor(zeros: [4])
    graph.parameters["bn2.bias"]?.value = Tensor(zeros: [4])
    let removed = try BlockRemoval.remove(graph, blocks: ["sum"])
    XCTAssertEqual(removed.nodes.map(\.name), ["c1", "bn1", "r1", "r2", "head"])
    XCTAssertEqual(removed.nodes.first { $0.name == "r2" }?.inputs, ["r1"])
    XCTAssertNil(removed.parameters["c2.weight"])
    XCTAssertNil(removed.parameters["bn2.running_var"])
    let input = Fixtures.input(for: graph)
    let before = try XCTUnwrap(try graph.evaluate(inputs: input)["head"])
    let after = try XCTUnwrap(try removed.evaluate(inputs: input)["head"])
    XCTAssertEqual(Fixtures.maxDifference(before, after), 0)
    // c2: 4 filters · 4 channels · 3·3 · 8·8 positions = 9216 MACs; the add has none
    let macs = { (g: ModelGraph) in try CostAnalysis.analyze(g).totalMACs }
    XCTAssertEqual(try macs(graph) - macs(removed), 9216)
    XCTAssertThrowsError(try BlockRemoval.remove(graph, blocks: ["head"])) { error in
      XCTAssertTrue("\(error)".contains("bn2, sum"), "\(error)")
    }
  }

  func testAnIdentityBlockIsRemovedExactlyAndRankedFirst() throws {
    // image → c1 → bn1 → r1 → c2 (3×3, 4→4) → bn2 → r2 → head (1×1, 2): c2-bn2-r2 keeps the shape
    var b = GraphBuilder(name: "plain")
    let x = b.input("image", shape: [1, 3, 6, 6])
    let conv: [String: Attribute] = [
      "outChannels": .int(4), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1]), "bias": .bool(false),
    ]
    let r1 = try b.add(.relu, "r1", [try b.add(.batchNorm, "bn1", [try b.add(.conv, "c1", [x], conv)])])
    let r2 = try b.add(.relu, "r2", [try b.add(.batchNorm, "bn2", [try b.add(.conv, "c2", [r1], conv)])])
    b.output(try b.add(.conv, "head", [r2], ["outChannels": .int(2), "kernel": .ints([1, 1])]))
    var graph = Fixtures.withValues(try b.finish())
    XCTAssertEqual(BlockRemoval.blocks(graph).map(\.nodes), [["c2", "bn2", "r2"]], "c1 changes the channel count")
    // c2 passes channel c through its kernel centre; bn2 undoes nothing (γ = √(σ² + ε), β = μ);
    // r2 on r1's non-negative values is the identity too
    var w = [Float](repeating: 0, count: 4 * 4 * 9)
    for c in 0..<4 { w[(c * 4 + c) * 9 + 4] = 1 }
    graph.parameters["c2.weight"]?.value = Tensor(shape: [4, 4, 3, 3], scalars: w)
    let variance = try XCTUnwrap(graph.parameters["bn2.running_var"]?.value)
    let epsilon = try XCTUnwrap(graph.nodes.first { $0.name == "bn2" }).float("epsilon")
    graph.parameters["bn2.weight"]?.value = Tensor(
      shape: [4], scalars: variance.scalars.map { ($0 + epsilon).squareRoot() })
    let mean = graph.parameters["bn2.running_mean"]?.value
    graph.parameters["bn2.bias"]?.value = mean
    let removed = try BlockRemoval.remove(graph, blocks: ["r2"])
    XCTAssertEqual(removed.nodes.map(\.name), ["c1", "bn1", "r1", "head"])
    let input = Fixtures.input(for: graph)
    let before = try XCTUnwrap(try graph.evaluate(inputs: input)["head"])
    let after = try XCTUnwrap(try removed.evaluate(inputs: input)["head"])
    XCTAssertLessThan(Fixtures.maxDifference(before, after), 1e-5)
    // ranked by the KPI "minus the largest output change": this block first (KPI ≈ 0)
    var residual = Fixtures.withValues(try Fixtures.residual())
    residual.parameters["bn2.weight"]?.value = Tensor(zeros: [4])
    residual.parameters["bn2.bias"]?.value = Tensor(zeros: [4])
    let reference = try XCTUnwrap(try residual.evaluate(inputs: Fixtures.input(for: residual))["head"])
    let ranked = try BlockRemoval.rankedBySensitivity(residual) { g in
      -Double(Fixtures.maxDifference(reference, try XCTUnwrap(try g.evaluate(inputs: Fixtures.input(for: g))["head"])))
    }
    XCTAssertEqual(
      ranked.map(\.block.id), ["sum", "bn2"], "the zero branch costs nothing; dropping c2-bn2 alone doubles r1")
    XCTAssertEqual(ranked[0].kpi, 0)
    XCTAssertLessThan(ranked[1].kpi, -1e-3)
  }
}
