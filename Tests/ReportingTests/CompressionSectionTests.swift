import Charts
import Foundation
import RunFormat
import XCTest

@testable import Reporting

/// The compression section shows what pruning removed and what it cost, from
/// `stages/compress/compression.json` and the `compressed` block of `metrics.json`.
final class CompressionSectionTests: XCTestCase {
  func testSectionShowsTotalsRatiosAndPrunedLayers() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: "quick", runId: "r")
    let metricsURL = run.appendingPathComponent("metrics.json")
    var metrics = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: metricsURL)) as? [String: Any])
    metrics["float"] = ["map50": 0.9]
    metrics["compressed"] = ["map50": 0.85]
    try JSONSerialization.data(withJSONObject: metrics).write(to: metricsURL)
    let record = CompressionRecord(
      before: .init(parameters: 4000, macs: 1_000_000, peakActivationBytes: 8192, weightBytes: 16000),
      after: .init(parameters: 1000, macs: 250_000, peakActivationBytes: 4096, weightBytes: 4000),
      deployed: .init(parameters: 900, macs: 240_000, peakActivationBytes: 4096, weightBytes: 3600),
      layers: [.init(node: "conv1", channels: [16, 8]), .init(node: "head", channels: [24, 24])])
    let folder = run.appendingPathComponent("stages/compress")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONEncoder().encode(record).write(to: folder.appendingPathComponent("compression.json"))

    let report = try RunReport.load(from: run)
    XCTAssertEqual(report.compression, record)
    let markdown = MarkdownRenderer.render(report.document())
    XCTAssertTrue(markdown.contains("## Compression"), markdown)
    // 1,000 of 4,000 parameters: a ratio of 0.25
    XCTAssertTrue(markdown.contains("| parameters | 4,000 | 1,000 | 900 | 0.2500 |"), markdown)
    XCTAssertTrue(markdown.contains("| `map50` | 0.9000 | 0.8500 | -0.0500 |"), markdown)
    // only layers that lost channels are listed
    XCTAssertTrue(markdown.contains("| `conv1` | 16 | 8 |"), markdown)
    XCTAssertFalse(markdown.contains("| `head` | 24 | 24 |"), markdown)
  }

  func testSensitivityCurvesAreDrawnPerGroupAndChosenRatiosListed() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: "quick", runId: "r")
    let totals = CompressionRecord.Totals(parameters: 10, macs: 10, peakActivationBytes: 10, weightBytes: 40)
    let record = CompressionRecord(
      before: totals, after: totals, deployed: nil,
      layers: [.init(node: "conv1", channels: [16, 8]), .init(node: "conv2", channels: [32, 24])],
      ratios: ["conv1": 0.5, "conv2": 0.3])
    let sensitivity = SensitivityRecord(
      kpi: "map50", samples: 64, baseline: 0.9, ratios: [0.5, 0.25],
      curves: [
        .init(
          group: "conv1", channels: 16,
          points: [.init(ratio: 0.5, channels: 8, kpi: 0.7), .init(ratio: 0.25, channels: 12, kpi: 0.8)]),
        .init(
          group: "conv2", channels: 32,
          points: [.init(ratio: 0.5, channels: 16, kpi: 0.85), .init(ratio: 0.25, channels: 24, kpi: 0.9)]),
      ])
    for (stage, file, data) in [
      ("compress", "compression.json", try JSONEncoder().encode(record)),
      ("sensitivity", "sensitivity.json", try JSONEncoder().encode(sensitivity)),
    ] {
      let folder = run.appendingPathComponent("stages/\(stage)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      try data.write(to: folder.appendingPathComponent(file))
    }
    let report = try RunReport.load(from: run)
    XCTAssertEqual(report.sensitivity, sensitivity)
    let markdown = MarkdownRenderer.render(report.document())
    XCTAssertTrue(markdown.contains("| `conv1` | 16 | 8 | 0.5000 |"), markdown)
    XCTAssertTrue(markdown.contains("| `conv2` | 32 | 24 | 0.3000 |"), markdown)
    let section = try XCTUnwrap(report.document().sections.first { $0.id == "compression" })
    let figures = section.blocks.compactMap { block -> Figure? in
      if case .figure(let f) = block { return f }
      return nil
    }
    XCTAssertEqual(figures.map(\.id), ["compression-sensitivity"])
    let chart = try XCTUnwrap(report.sensitivityChart())
    guard case .xy(let series) = chart.content else { return XCTFail("not an xy chart") }
    // one line per group from the unpruned baseline at ratio 0, points sorted by ratio
    XCTAssertEqual(series.map(\.name), ["conv1 (16)", "conv2 (32)"])
    XCTAssertEqual(series[0].x, [0, 0.25, 0.5])
    XCTAssertEqual(series[0].y, [0.9, 0.8, 0.7])
    XCTAssertEqual(series[1].y, [0.9, 0.9, 0.85])
  }
}
