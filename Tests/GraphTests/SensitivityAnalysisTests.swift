import Graph
import GraphFixtures
import XCTest

/// Sensitivity analysis: each group pruned alone, the KPI read per ratio; and the greedy
/// allocation for a budget.
final class SensitivityAnalysisTests: XCTestCase {
  func testEachGroupIsPrunedAloneAtEachRatio() throws {
    let graph = Fixtures.withValues(try Fixtures.concatFlattenDense())
    let planner = try PruningPlanner(graph: graph)
    var calls = 0
    // KPI = the pruned graph's MACs: a keeps k of 3 channels → 288k + 64 + 16k + 32; b keeps k of
    // 2 → 864 + 32k + (12 + 4k)·4 (by hand, as in ChannelPruningTests).
    let table = try SensitivityTable.analyze(planner, ratios: [0.2, 0.5, 0.7]) { g in
      calls += 1
      return Double(try CostAnalysis.analyze(g).totalMACs)
    }
    XCTAssertEqual(table.baseline, 1008)
    XCTAssertEqual(table.curves.map(\.group), ["a", "b"])
    XCTAssertEqual(table.curves[0].points.map(\.channels), [2, 2, 1])  // 2.4, 1.5 and 0.9 rounded
    XCTAssertEqual(table.curves[0].points.map(\.kpi), [704, 704, 400])
    XCTAssertEqual(table.curves[1].points.map(\.channels), [2, 1, 1])  // 1.6, 1.0, 0.6
    XCTAssertEqual(table.curves[1].points.map(\.kpi), [1008, 960, 960])
    XCTAssertEqual(calls, 1 + 5, "the baseline once, unpruned points not evaluated again")
    XCTAssertEqual(table.kpi(of: "a", at: 0.1) ?? 0, 856, accuracy: 1e-9, "halfway from 1008 to 704")
    let decoded = try JSONDecoder().decode(SensitivityTable.self, from: try JSONEncoder().encode(table))
    XCTAssertEqual(decoded, table)
  }

  func testTheAllocationSparesTheSensitiveGroup() throws {
    let graph = try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.5, resolution: 0.3))
    let planner = try PruningPlanner(graph: graph, roundTo: 8)
    let ratios = [0.25, 0.5, 0.75]
    // Every group loses 0.01 per step except conv6, which loses 0.5 at once.
    let curves = planner.candidates.map { group in
      SensitivityCurve(
        group: group.id, channels: group.channels,
        points: ratios.map { r in
          SensitivityCurve.Point(ratio: r, channels: 0, kpi: group.id == "conv6" ? 0.4 : 0.9 - r / 25)
        })
    }
    let table = SensitivityTable(baseline: 0.9, ratios: ratios, curves: curves)
    let budget = try CostAnalysis.analyze(graph).totalMACs * 6 / 10
    let chosen = try table.ratios(for: budget, what: "MAC", planner: planner) { $0.totalMACs }
    XCTAssertEqual(chosen["conv6"], 0)
    XCTAssertLessThanOrEqual(try planner.cost(of: try planner.plan(ratios: chosen)).totalMACs, budget)
    XCTAssertFalse(chosen.values.filter { $0 > 0 }.isEmpty)
    // When conv6 is the only group that costs nothing, it is pruned first and furthest.
    let cheap = SensitivityTable(
      baseline: 0.9, ratios: ratios,
      curves: curves.map { c in
        SensitivityCurve(
          group: c.group, channels: c.channels,
          points: c.points.map { .init(ratio: $0.ratio, channels: 0, kpi: c.group == "conv6" ? 0.9 : 0.1) })
      })
    let first = try cheap.ratios(for: budget, what: "MAC", planner: planner) { $0.totalMACs }
    XCTAssertEqual(first["conv6"], 0.75)
  }
}
