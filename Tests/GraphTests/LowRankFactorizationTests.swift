import Graph
import GraphFixtures
import Tensors
import XCTest

/// Low-rank factorisation: a rank-r weight is reproduced exactly by the two convolutions, the
/// MACs are those counted by hand, and ranks follow the energy threshold or the MAC budget.
final class LowRankFactorizationTests: XCTestCase {
  /// image [1, 4, 6, 6] → c (3×3, 8 filters, padding 1, bias) → r → head (1×1, 2): the output.
  /// c's weight is A·B with A 8×2 and B 2×36, so its rank is 2.
  private func graph() throws -> ModelGraph {
    var b = GraphBuilder(name: "low-rank")
    let x = b.input("image", shape: [1, 4, 6, 6])
    let c = try b.add(
      .conv, "c", [x], ["outChannels": .int(8), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    b.output(
      try b.add(.conv, "head", [try b.add(.relu, "r", [c])], ["outChannels": .int(2), "kernel": .ints([1, 1])]))
    var g = Fixtures.withValues(try b.finish())
    var rng = RandomStream(seed: 11)
    let a = (0..<16).map { _ in rng.nextFloat(in: -1..<1) }, bb = (0..<72).map { _ in rng.nextFloat(in: -1..<1) }
    var w = [Float](repeating: 0, count: 8 * 36)
    for o in 0..<8 {
      for j in 0..<36 {
        let x: Float = a[o * 2] * bb[j]
        let y: Float = a[o * 2 + 1] * bb[36 + j]
        w[o * 36 + j] = x + y
      }
    }
    g.parameters["c.weight"]?.value = Tensor(shape: [8, 4, 3, 3], scalars: w)
    return g
  }

  func testARankTwoWeightIsReproducedExactly() throws {
    let original = try graph()
    let factorized = try LowRankFactorization.factorize(original, ranks: ["c": 2])
    XCTAssertEqual(factorized.nodes.map(\.name), ["c_lr", "c", "r", "head"])
    XCTAssertEqual(factorized.parameters["c_lr.weight"]?.shape, [2, 4, 3, 3])
    XCTAssertEqual(factorized.parameters["c.weight"]?.shape, [8, 2, 1, 1])
    XCTAssertEqual(factorized.parameters["c.bias"], original.parameters["c.bias"])
    // second · first is the original weight
    let first = try XCTUnwrap(factorized.parameters["c_lr.weight"]?.value).scalars
    let second = try XCTUnwrap(factorized.parameters["c.weight"]?.value).scalars
    let w = try XCTUnwrap(original.parameters["c.weight"]?.value).scalars
    for o in 0..<8 {
      for j in 0..<36 {
        let x: Float = second[o * 2] * first[j]
        let y: Float = second[o * 2 + 1] * first[36 + j]
        XCTAssertEqual(x + y, w[o * 36 + j], accuracy: 1e-5)
      }
    }
    let input = Fixtures.input(for: original)
    let before = try XCTUnwrap(try original.evaluate(inputs: input)["head"])
    let after = try XCTUnwrap(try factorized.evaluate(inputs: input)["head"])
    XCTAssertLessThan(Fixtures.maxDifference(before, after), 1e-4)
    // MACs by hand on the 6×6 output: c 8·4·9·36 = 10368 becomes c_lr 2·4·9·36 = 2592 plus
    // c 8·2·36 = 576; factorising pays below rank (8·36 − 1) / (36 + 8) = 6.
    let macs = Dictionary(try CostAnalysis.analyze(factorized).layers.map { ($0.node, $0.macs) }) { a, _ in a }
    XCTAssertEqual(macs["c_lr"], 2592)
    XCTAssertEqual(macs["c"], 576)
    XCTAssertEqual(try CostAnalysis.analyze(original).layers.first { $0.node == "c" }?.macs, 10368)
    XCTAssertEqual(LowRankFactorization.usefulRank(original.nodes[0], in: original), 6)
  }

  func testRanksFollowTheEnergyThresholdAndTheMACBudget() throws {
    // σ² = 16, 9, 4, 1 (Σ 30): 0.8 needs 25/30, 0.84 needs 29/30
    XCTAssertEqual(LowRankFactorization.rank(forEnergy: 0.8, singularValues: [4, 3, 2, 1]), 2)
    XCTAssertEqual(LowRankFactorization.rank(forEnergy: 0.84, singularValues: [4, 3, 2, 1]), 3)
    XCTAssertEqual(LowRankFactorization.rank(forEnergy: 1, singularValues: [4, 3, 2, 1]), 4)
    let g = try graph()
    let planner = try LowRankPlanner(graph: g)
    XCTAssertEqual(planner.layers.map(\.node), ["c"], "the 1×1 head is not factorised")
    XCTAssertEqual(planner.ranks(energy: 0.999), ["c": 2])
    let total = try CostAnalysis.analyze(g).totalMACs
    XCTAssertEqual(try planner.ranks(maxMACs: total - 10368 + 3168), ["c": 2])
    // one MAC less: rank 1, 1·(36 + 8)·36 = 1584
    XCTAssertEqual(try planner.ranks(maxMACs: total - 10368 + 3167), ["c": 1])
    XCTAssertEqual(planner.macs(["c": 1]), total - 10368 + 1584)
    XCTAssertEqual(
      planner.macs(["c": 1]), try CostAnalysis.analyze(try LowRankFactorization.factorize(g, ranks: ["c": 1])).totalMACs
    )
    XCTAssertThrowsError(try planner.ranks(maxMACs: total - 10368 + 1583)) { error in
      XCTAssertTrue("\(error)".hasPrefix("A MAC budget of"), "\(error)")
    }
    XCTAssertTrue(try LowRankPlanner(graph: g, exclude: ["c"]).layers.isEmpty)
  }
}
