import Graph
import GraphFixtures
import XCTest

/// PruningPlanner: rounding, ratios by group or producer, exclusions and budgets.
final class PruningPlannerTests: XCTestCase {
  func testKeptCountsRoundToMultiples() {
    XCTAssertEqual(keptChannelCount(original: 16, ratio: 0.5, roundTo: 8), 8)
    XCTAssertEqual(keptChannelCount(original: 16, ratio: 0.9, roundTo: 8), 8, "never below one multiple")
    XCTAssertEqual(keptChannelCount(original: 6, ratio: 0.5, roundTo: 8), 6, "never above the current count")
    XCTAssertEqual(keptChannelCount(original: 24, ratio: 0.3, roundTo: 8), 16, "16.8 rounds to 2 blocks of 8")
    XCTAssertEqual(keptChannelCount(original: 10, ratio: 0.25), 8, "7.5 rounds up")
    XCTAssertEqual(keptChannelCount(original: 10, ratio: 0.99), 1)
    XCTAssertEqual(keptChannelCount(original: 64, current: 40, ratio: 0.5, roundTo: 8), 32, "ratios of the original")
  }

  func testRatiosKeepTheHighestScoringChannels() throws {
    let graph = try Fixtures.residual()
    let planner = try PruningPlanner(graph: graph, scores: ["c1": [1, 5, 3, 4]])
    XCTAssertEqual(try planner.plan(.ratio(0.5)).keep, ["c1": [1, 3]])
    XCTAssertEqual(try planner.plan(.ratios(["c2": 0.75], default: 0)).keep, ["c1": [1]], "named by a producer")
    XCTAssertThrowsError(try planner.plan(.ratio(1))) { error in
      XCTAssertEqual("\(error)", "The pruning ratio of group 'c1' is 1.0; it must be at least 0 and below 1.")
    }
    XCTAssertThrowsError(try planner.plan(.ratios(["nope": 0.5], default: 0))) { error in
      XCTAssertEqual("\(error)", "There is no channel group 'nope' (prunable groups: c1).")
    }
    let excluded = try PruningPlanner(graph: graph, exclude: ["c2"])
    XCTAssertEqual(try excluded.plan(.ratio(0.5)).keep, [:], "a group with an excluded producer is kept")
  }

  func testAMACBudgetIsMetByTheSmallestUniformRatio() throws {
    let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(resolution: 0.3))
    let planner = try PruningPlanner(graph: graph, roundTo: 8)
    let full = try CostAnalysis.analyze(graph).totalMACs
    let budget = full / 2
    let plan = try planner.plan(.macs(budget))
    XCTAssertLessThanOrEqual(try planner.cost(of: plan).totalMACs, budget)
    let ratio = try XCTUnwrap(plan.ratios["conv5"])
    XCTAssertEqual(Set(plan.ratios.values).count, 1, "one uniform ratio")
    let lighter = try planner.plan(.ratio(ratio - 2e-4))
    XCTAssertGreaterThan(try planner.cost(of: lighter).totalMACs, budget, "a smaller ratio misses the budget")
    // Halving MACs needs about 1 − √½ ≈ 0.29 of the channels (MACs scale with in × out channels).
    XCTAssertEqual(ratio, 0.29, accuracy: 0.04)
    XCTAssertThrowsError(try planner.plan(.macs(1000))) { error in
      XCTAssertTrue(
        "\(error)".hasPrefix("A MAC budget of 1000 cannot be met: the most pruned model allowed still has "))
    }
    let params = try planner.plan(.parameters(try CostAnalysis.analyze(graph).totalParameters / 3))
    XCTAssertLessThanOrEqual(
      try planner.cost(of: params).totalParameters, try CostAnalysis.analyze(graph).totalParameters / 3)
  }
}
