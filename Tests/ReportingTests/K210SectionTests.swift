import Foundation
import RunFormat
import XCTest

@testable import Reporting

/// The K210 section renders the check's verdict, memory against the limits and each layer's
/// placement, from `stages/check-k210/k210-check.json`.
final class K210SectionTests: XCTestCase {
  func testSectionShowsVerdictMemoryAndPlacement() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: "quick", runId: "r")
    let summary = K210CheckSummary(
      model: "tiny",
      layers: [
        .init(
          name: "conv1", processor: "kpu", summary: "conv 3×3 + BatchNorm + LeakyReLU + MaxPool 2×2/2",
          outputShape: [1, 8, 32, 32], notes: [], violations: []),
        .init(
          name: "big", processor: "cpu", summary: "conv 5×5", outputShape: [1, 8, 32, 32],
          notes: ["falls back to a float32 CPU convolution"],
          violations: [.init(rule: "kernel size", limit: "square 1×1 or 3×3", value: "5×5")]),
      ],
      kpu: .init(peakBytes: 65_536, highWater: 98_304), modelBytes: 10_000, activationBytes: 20_000,
      limits: .init(kpuRAM: 2_097_152, mainRAM: 6_291_456, reserve: 1_048_576), problems: [])
    let folder = run.appendingPathComponent("stages/check-k210")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONEncoder().encode(summary).write(to: folder.appendingPathComponent("k210-check.json"))

    let report = try RunReport.load(from: run)
    XCTAssertEqual(report.k210Check, summary)
    let doc = report.document()
    XCTAssertEqual(
      doc.sections.map(\.id).firstIndex(of: "k210"), doc.sections.map(\.id).firstIndex(of: "model").map { $0 + 1 })
    let html = HTMLRenderer.render(doc)
    XCTAssertTrue(html.contains("fits the K210"))
    XCTAssertTrue(html.contains("1 KPU layers, 1 CPU ops"))
    XCTAssertTrue(html.contains("✗ kernel size: the KPU accepts square 1×1 or 3×3, this layer has 5×5"))
    XCTAssertTrue(html.contains("Memory against the K210"))
    let markdown = MarkdownRenderer.render(doc)
    XCTAssertTrue(markdown.contains("## K210"), markdown)
  }
}
