import Foundation
import RunFormat
import XCTest

@testable import Reporting

/// The quantization section shows float against quantized KPIs with the change, the per-tensor
/// SQNR chart with the worst tensors, and their calibration histograms, from
/// `stages/quantize/quantization.json` and the `quantized` block of `metrics.json`.
final class QuantizationSectionTests: XCTestCase {
  func testSectionShowsTheDropAndTheWorstTensors() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: "quick", runId: "r")
    let metricsURL = run.appendingPathComponent("metrics.json")
    var metrics = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: metricsURL)) as? [String: Any])
    metrics["quantized"] = ["map50": 0.5, "map50_95": 0.25]
    metrics["float"] = ["map50": 0.52, "map50_95": 0.3]
    try JSONSerialization.data(withJSONObject: metrics).write(to: metricsURL)

    func activation(_ name: String, sqnr: Double) -> QuantizationSummary.Tensor {
      var t = QuantizationSummary.Tensor(
        name: name, kind: "activation", elementType: "uint8", scales: [0.02], zeroPoints: [128], fractionalBits: nil)
      (t.sqnr, t.cosine, t.maxAbsError) = (sqnr, 0.99, 0.1)
      (t.observed, t.chosen, t.histogramMax, t.histogram) = ([-3, 4], [-2, 2.5], 4, [5, 3, 1, 1])
      return t
    }
    let weight = QuantizationSummary.Tensor(
      name: "conv1.weight", kind: "weight", elementType: "int8", scales: [0.1, 0.2], zeroPoints: [0, 0],
      fractionalBits: nil)
    let summary = QuantizationSummary(
      scheme: "k210", method: "kld", percentile: 99.99, images: 64,
      tensors: [activation("conv1", sqnr: 30), activation("conv2", sqnr: 12.5), weight, activation("head", sqnr: 21)],
      passes: [])
    let folder = run.appendingPathComponent("stages/quantize")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try JSONEncoder().encode(summary).write(to: folder.appendingPathComponent("quantization.json"))

    let report = try RunReport.load(from: run)
    XCTAssertEqual(report.quantization, summary)
    XCTAssertEqual(summary.worst(2).map(\.name), ["conv2", "head"])
    let markdown = MarkdownRenderer.render(report.document())
    XCTAssertTrue(markdown.contains("## Quantization"), markdown)
    XCTAssertTrue(markdown.contains("Scheme k210, calibrated with kld on 64 training images"), markdown)
    // float 0.52 → quantized 0.5: the drop is shown in task terms
    XCTAssertTrue(markdown.contains("| `map50` | 0.5200 | 0.5000 | -0.0200 |"), markdown)
    XCTAssertTrue(markdown.contains("| `map50_95` | 0.3000 | 0.2500 | -0.0500 |"), markdown)
    // the worst tensor heads the table
    let table = try XCTUnwrap(markdown.range(of: "| tensor (lowest SQNR first)"))
    XCTAssertTrue(markdown[table.upperBound...].contains("| `conv2` | uint8 |"), markdown)
    XCTAssertTrue(markdown.contains("quantization-sqnr.png"))
    XCTAssertTrue(markdown.contains("quantization-histograms.png"))
  }
}
