import Graph
import GraphFixtures
import Tensors
import XCTest

/// ChannelPruning: removing channels whose activations are exactly zero leaves the function
/// unchanged, shapes and costs shrink by the hand-counted amounts, and bad requests are refused.
final class ChannelPruningTests: XCTestCase {
  /// Zeroes `zeroed` channels per group, prunes exactly those, and checks every output agrees.
  private func assertPruningZeroChannelsKeepsOutputs(
    _ graph: ModelGraph, _ zeroed: [String: [Int]], file: StaticString = #filePath, line: UInt = #line
  ) throws -> ModelGraph {
    let groups = try ChannelDependencies.analyze(graph)
    var g = graph
    var keep: [String: [Int]] = [:]
    for (id, channels) in zeroed {
      let group = try XCTUnwrap(groups.first { $0.id == id })
      g = Fixtures.zeroing(g, group, channels)
      keep[id] = (0..<group.channels).filter { !channels.contains($0) }
    }
    let pruned = try ChannelPruning.prune(g, keep: keep, groups: groups)
    XCTAssertNoThrow(try pruned.validate(), file: file, line: line)
    let feeds = Fixtures.input(for: graph)
    let before = try g.evaluate(inputs: feeds), after = try pruned.evaluate(inputs: feeds)
    for output in graph.outputs {
      let b = try XCTUnwrap(before[output.name]), a = try XCTUnwrap(after[output.name])
      let scale = max(1, b.scalars.map(abs).max() ?? 1)
      XCTAssertLessThan(
        Fixtures.maxDifference(b, a), 1e-5 * scale, "\(graph.name) \(output.name)", file: file, line: line)
    }
    return pruned
  }

  func testConcatFlattenDenseByHand() throws {
    let graph = Fixtures.withValues(try Fixtures.concatFlattenDense())
    let pruned = try assertPruningZeroChannelsKeepsOutputs(graph, ["a": [1], "b": [0]])
    XCTAssertEqual(pruned.parameters["a.weight"]?.shape, [2, 2, 3, 3])
    XCTAssertEqual(pruned.parameters["a.bias"]?.shape, [2])
    XCTAssertEqual(pruned.parameters["b.weight"]?.shape, [1, 2, 1, 1])
    XCTAssertEqual(pruned.node(named: "a")?.int("outChannels"), 2)
    // The dense layer keeps the columns of a's channels 0 and 2 and b's channel 1 (features
    // 0–3, 8–11 and 16–19 of the 20), in that order.
    let w = try XCTUnwrap(graph.parameters["d.weight"]?.value), pw = try XCTUnwrap(pruned.parameters["d.weight"]?.value)
    XCTAssertEqual(pw.shape, [4, 12])
    let columns = Array(0..<4) + Array(8..<12) + Array(16..<20)
    for o in 0..<4 {
      XCTAssertEqual((0..<12).map { pw.scalars[o * 12 + $0] }, columns.map { w.scalars[o * 20 + $0] })
    }
    // By hand: a = 3·(4·4)·(2·3·3) = 864 MACs and 3·18 + 3 = 57 parameters; b = 2·16·2 = 64 MACs,
    // 2·2 + 2 = 6; d = 20·4 = 80 MACs, 80 + 4 = 84. Pruned: a 2·16·18 = 576 and 38, b 32 and 3,
    // d 12·4 = 48 and 52.
    let before = try CostAnalysis.analyze(graph), after = try CostAnalysis.analyze(pruned)
    XCTAssertEqual([before.totalMACs, before.totalParameters], [864 + 64 + 80, 57 + 6 + 84])
    XCTAssertEqual([after.totalMACs, after.totalParameters], [576 + 32 + 48, 38 + 3 + 52])
  }

  func testTheResidualGroupIsPrunedInBothBranches() throws {
    let graph = Fixtures.withValues(try Fixtures.residual())
    let pruned = try assertPruningZeroChannelsKeepsOutputs(graph, ["c1": [0, 2]])
    XCTAssertEqual(pruned.parameters["c1.weight"]?.shape, [2, 3, 3, 3])
    XCTAssertEqual(pruned.parameters["c2.weight"]?.shape, [2, 2, 3, 3], "c2 loses rows and columns")
    XCTAssertEqual(pruned.parameters["bn2.running_var"]?.shape, [2])
    XCTAssertEqual(pruned.parameters["head.weight"]?.shape, [2, 2, 1, 1])
    XCTAssertEqual(pruned.shape(of: "sum"), [1, 2, 8, 8])
    // c1: 4·64·27 → 2·64·27; c2: 4·64·36 → 2·64·18; head: 2·64·4 → 2·64·2.
    let after = try CostAnalysis.analyze(pruned)
    XCTAssertEqual(after.totalMACs, 2 * 64 * 27 + 2 * 64 * 18 + 2 * 64 * 2)
  }

  func testZooModelsKeepTheirFunctionWhenZeroChannelsArePruned() throws {
    let yolo = Fixtures.withValues(try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, resolution: 0.3)))
    let prunedYolo = try assertPruningZeroChannelsKeepsOutputs(
      yolo, ["conv5": [1, 3, 60], "route": [0], "conv7": [5], "conv1": [2]])
    // conv5 (64 channels at width 0.25) feeds conv6 and, at offset 32 of the concat, conv8.
    XCTAssertEqual(prunedYolo.parameters["conv5.weight"]?.shape.first, 61)
    XCTAssertEqual(prunedYolo.parameters["conv6.weight"]?.shape[1], 61)
    XCTAssertEqual(prunedYolo.parameters["conv8.weight"]?.shape[1], 31 + 61)
    XCTAssertEqual(prunedYolo.parameters["yolo32.weight"]?.shape, [75, 127, 1, 1])
    let mobile = Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny", options: BuildOptions(width: 0.5)))
    let prunedMobile = try assertPruningZeroChannelsKeepsOutputs(mobile, ["conv1": [0, 5], "block6_pw": [3]])
    XCTAssertEqual(prunedMobile.node(named: "block1_dw")?.int("groups"), 14)
    XCTAssertEqual(prunedMobile.parameters["block1_dw.weight"]?.shape, [14, 1, 3, 3])
    XCTAssertEqual(prunedMobile.parameters["logits.weight"]?.shape, [10, 63])
  }

  func testCostsDropByTheChannelFormula() throws {
    // MACs of a conv are proportional to its input and its output channels, so pruning k of
    // conv5's C channels scales conv5's MACs by (C − k)/C and conv6's and conv8's by their
    // input channels' ratio, and leaves the other layers alone.
    let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(resolution: 0.3))
    let keep = Array(0..<192)
    let pruned = try ChannelPruning.prune(graph, keep: ["conv5": keep])
    let before = try CostAnalysis.analyze(graph), after = try CostAnalysis.analyze(pruned)
    let macs = { (r: CostReport, n: String) in r.layers.first { $0.node == n }?.macs ?? -1 }
    XCTAssertEqual(macs(after, "conv5"), macs(before, "conv5") / 256 * 192)
    XCTAssertEqual(macs(after, "conv6"), macs(before, "conv6") / 256 * 192)
    XCTAssertEqual(macs(after, "conv8"), macs(before, "conv8") / 384 * (128 + 192))
    let others = before.layers.map(\.node).filter { !["conv5", "conv6", "conv8"].contains($0) }
    XCTAssertEqual(others.map { macs(after, $0) }, others.map { macs(before, $0) })
    // Parameters: conv5 loses 64 filters of 128·9 weights and their γ, β; conv6 and conv8 lose
    // 64 input channels of 3×3 weights per filter.
    let lost = 64 * 128 * 9 + 64 * 2 + 512 * 64 * 9 + 256 * 64 * 9
    XCTAssertEqual(after.totalParameters, before.totalParameters - lost)
  }

  func testBadRequestsAreRefusedWithSentences() throws {
    let graph = try Fixtures.residual()
    XCTAssertThrowsError(try ChannelPruning.prune(graph, keep: ["head": [0]])) { error in
      XCTAssertEqual(
        "\(error)",
        "Channel group 'head' cannot be pruned: it reaches the graph output 'head' (an output layer keeps its channels)."
      )
    }
    XCTAssertThrowsError(try ChannelPruning.prune(graph, keep: ["c1": []])) { error in
      XCTAssertEqual("\(error)", "Channel group 'c1' (4 channels): keep at least one channel.")
    }
    XCTAssertThrowsError(try ChannelPruning.prune(graph, keep: ["c1": [4]])) { error in
      XCTAssertEqual("\(error)", "Channel group 'c1' (4 channels): channel 4 does not exist.")
    }
    XCTAssertThrowsError(try ChannelPruning.prune(graph, keep: ["c9": [0]])) { error in
      XCTAssertEqual("\(error)", "There is no channel group 'c9' (prunable groups: c1).")
    }
    XCTAssertEqual(try ChannelPruning.prune(graph, keep: ["c1": [0, 1, 2, 3]]), graph, "keeping all changes nothing")
  }
}
