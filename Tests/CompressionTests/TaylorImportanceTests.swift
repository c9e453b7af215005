import Autograd
import Compression
import Graph
import GraphFixtures
import GraphTraining
import Tensors
import XCTest

/// Taylor importance against finite differences: Σ g·w over a member's parameters of channel j
/// is d/dα of the loss when those parameters are scaled by (1 + α), at α = 0.
final class TaylorImportanceTests: XCTestCase {
  func testScoresAreSquaredDirectionalDerivativesSummedOverMembers() throws {
    let graph = Fixtures.withValues(try Fixtures.residual(), seed: 11)
    let x = try XCTUnwrap(Fixtures.input(for: graph, batch: 2, seed: 5)["image"])
    let groups = try ChannelDependencies.analyze(graph)
    let scores = try TaylorImportance.scores(graph: graph, groups: groups, batches: 1) { executor, _ in
      let out = try XCTUnwrap(executor.forward(inputs: ["image": Variable(x)], training: false)["head"])
      return out.squared().sum() * 0.5
    }
    XCTAssertEqual(Array(scores.keys), ["c1"], "only the prunable group is scored")
    // The reference: the loss of the reference evaluation with one member's channel-j
    // parameters scaled, differentiated by central differences.
    func loss(_ g: ModelGraph) throws -> Double {
      let y = try XCTUnwrap(try g.evaluate(inputs: ["image": x])["head"])
      return y.scalars.reduce(0) { $0 + 0.5 * Double($1) * Double($1) }
    }
    func scaled(_ node: String, _ roles: [String], _ j: Int, by factor: Float) -> ModelGraph {
      var g = graph
      for role in roles {
        guard let t = g.parameters["\(node).\(role)"]?.value else { continue }
        let row = t.count / t.shape[0]
        var s = t.scalars
        for i in (j * row)..<((j + 1) * row) { s[i] *= factor }
        g.parameters["\(node).\(role)"]?.value = Tensor(shape: t.shape, scalars: s)
      }
      return g
    }
    let h: Float = 1e-3
    for j in 0..<4 {
      var expected = 0.0
      for (node, roles) in [
        ("c1", ["weight"]), ("bn1", ["weight", "bias"]), ("c2", ["weight"]), ("bn2", ["weight", "bias"]),
      ] {
        let d = (try loss(scaled(node, roles, j, by: 1 + h)) - loss(scaled(node, roles, j, by: 1 - h))) / Double(2 * h)
        expected += d * d
      }
      let got = Double(try XCTUnwrap(scores["c1"])[j])
      XCTAssertEqual(got, expected, accuracy: 1e-2 * max(expected, 1e-3), "channel \(j)")
    }
  }

  func testScoresAverageOverBatches() throws {
    let graph = Fixtures.withValues(try Fixtures.residual(), seed: 11)
    let groups = try ChannelDependencies.analyze(graph)
    let inputs = (0..<2).map { try? XCTUnwrap(Fixtures.input(for: graph, batch: 1, seed: UInt64(20 + $0))["image"]) }
    let score = { (batches: [Int]) in
      try TaylorImportance.scores(graph: graph, groups: groups, batches: batches.count) { executor, i in
        let x = inputs[batches[i]] ?? Tensor(zeros: [1, 3, 8, 8])
        let out = executor.forward(inputs: ["image": Variable(x)], training: false)["head"]
        return (out ?? Variable(Tensor(zeros: [1]))).sum()
      }["c1"] ?? []
    }
    let (a, b, both) = (try score([0]), try score([1]), try score([0, 1]))
    for j in 0..<4 { XCTAssertEqual(both[j], (a[j] + b[j]) / 2, accuracy: 1e-5 * max(1, both[j])) }
  }
}
