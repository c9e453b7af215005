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
}
