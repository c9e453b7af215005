import Compression
import Graph
import GraphFixtures
import XCTest

/// The compressor end to end on tiny-yolo: one-shot and gradual pruning reach the same channel
/// counts, the summary adds up, and BatchNorm is folded for export.
final class CompressorTests: XCTestCase {
  private let graph = Fixtures.withValues(
    (try? ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, resolution: 0.3)))
      ?? ModelGraph(name: "-", inputs: [], outputs: [], values: [], nodes: [], parameters: [:]))

  func testOneShotHalvesEveryGroupRoundedToEight() throws {
    let compressor = Compressor(settings: CompressionSettings())
    let ratios = try compressor.ratios(for: graph)
    let pruned = try compressor.prune(graph, ratios: ratios, loss: nil)
    let summary = try CompressionSummary(before: graph, after: pruned, deployed: try compressor.deploy(pruned))
    // Width 0.25 (channel multiple 8): conv1 8, conv2 8, conv3 16, conv4 32, conv5 64, conv6 128,
    // neck 64, conv7 128, route 32, conv8 64 channels; half of each, rounded to 8 (4 rounds up to 8).
    XCTAssertEqual(
      summary.groups.map { "\($0.id) \($0.channels[0])→\($0.channels[1])" },
      [
        "conv1 8→8", "conv2 8→8", "conv3 16→8", "conv4 32→16", "conv5 64→32", "conv6 128→64", "neck 64→32",
        "conv7 128→64", "route 32→16", "conv8 64→32",
      ])
    // The L1 criterion keeps conv5's 32 filters with the largest Σ|W| (seen in its BatchNorm's γ,
    // which loses only those channels; the weight also loses conv4's pruned input channels).
    let l1 = try ChannelImportance.filterNorm(
      graph, try XCTUnwrap(try ChannelDependencies.analyze(graph).first { $0.id == "conv5" }), order: 1)
    let threshold = l1.sorted(by: >)[31]
    let keptRows = (0..<64).filter { l1[$0] >= threshold }
    XCTAssertEqual(keptRows.count, 32)
    let gamma = try XCTUnwrap(graph.parameters["conv5_bn.weight"]?.value)
    XCTAssertEqual(pruned.parameters["conv5_bn.weight"]?.value?.scalars, keptRows.map { gamma.scalars[$0] })
    // Totals are the cost analysis of each graph; the folded export has no BatchNorm parameters.
    XCTAssertEqual(summary.after.macs, try CostAnalysis.analyze(pruned).totalMACs)
    XCTAssertEqual(summary.before.macs, try CostAnalysis.analyze(graph).totalMACs)
    // conv1 and conv2 (8 channels, the largest maps) are not pruned, so MACs drop to 55 %.
    XCTAssertLessThan(Double(summary.after.macs), 0.6 * Double(summary.before.macs))
    let deployed = try XCTUnwrap(summary.deployed)
    XCTAssertEqual(deployed.macs, summary.after.macs)
    XCTAssertLessThan(deployed.weightBytes, summary.after.weightBytes)
    let conv5 = try XCTUnwrap(summary.layers.first { $0.node == "conv5" })
    XCTAssertEqual(conv5.channels, [64, 32])
    XCTAssertEqual(conv5.macs[1] * 4, conv5.macs[0], "half the filters on half the inputs")
  }

  func testGradualPruningEndsWhereOneShotDoes() throws {
    var settings = CompressionSettings()
    settings.schedule = .gradual
    settings.steps = 3
    settings.criterion = .bnScale
    let compressor = Compressor(settings: settings)
    let original = try compressor.channels(of: graph)
    let ratios = try compressor.ratios(for: graph)
    var g = graph
    var history: [Int] = []
    for step in settings.fractions {
      g = try compressor.prune(g, ratios: ratios, fraction: step.fraction, original: original, loss: nil)
      history.append(try XCTUnwrap(try compressor.channels(of: g)["conv6"]))
    }
    // conv6 (128): s_t = 0.5·(1 − (1 − t/3)³) = 0.352, 0.481, 0.5 → 128·(1 − s_t)/8 = 10.4, 8.3, 8
    // blocks of 8 → 80, 64, 64.
    XCTAssertEqual(history, [80, 64, 64])
    let oneShot = try Compressor(settings: CompressionSettings()).prune(graph, ratios: ratios, loss: nil)
    XCTAssertEqual(try compressor.channels(of: g), try compressor.channels(of: oneShot))
  }

  func testBudgetsAndTaylorWithoutLossAreExplained() throws {
    var settings = CompressionSettings()
    settings.maxMACs = 10
    XCTAssertThrowsError(try Compressor(settings: settings).ratios(for: graph)) { error in
      XCTAssertTrue("\(error)".hasPrefix("A MAC budget of 10 cannot be met"), "\(error)")
    }
    settings.maxMACs = nil
    settings.criterion = .taylor
    XCTAssertThrowsError(try Compressor(settings: settings).prune(graph, ratios: ["conv5": 0.5], loss: nil)) { error in
      XCTAssertTrue("\(error)".hasPrefix("The taylor criterion needs the task loss"), "\(error)")
    }
  }

  func testSensitivityRatiosSaveTheUniformPlansMACsFromInsensitiveGroups() throws {
    let compressor = Compressor(settings: CompressionSettings())  // ratio 0.5, round_to 8
    let planner = try compressor.planner(graph)
    let uniform = try planner.cost(of: try planner.plan(.ratio(0.5))).totalMACs
    // conv6 loses everything at the first step; every other group loses nothing up to 0.75
    let steps = [0.25, 0.5, 0.75]
    let table = SensitivityTable(
      baseline: 1, ratios: steps,
      curves: planner.candidates.map { g in
        SensitivityCurve(
          group: g.id, channels: g.channels,
          points: steps.map { .init(ratio: $0, channels: 0, kpi: g.id == "conv6" ? 0 : 1) })
      })
    let ratios = try compressor.ratios(for: graph, sensitivity: table)
    XCTAssertEqual(ratios["conv6"], 0, "the sensitive group is spared")
    XCTAssertLessThanOrEqual(try planner.cost(of: try planner.plan(ratios: ratios)).totalMACs, uniform)
    XCTAssertTrue(ratios.contains { $0.value > 0.5 }, "others go past 0.5 to make up for it: \(ratios)")
    // without a table, the uniform plan
    XCTAssertEqual(Set(try compressor.ratios(for: graph).values), [0.5])
  }
}
