import Charts
import Foundation
import XCTest

@testable import Reporting

final class ReportWriterTests: XCTestCase {
  func testFixtureRunRendersHTMLMarkdownJSONAndFigures() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: "shapes-yolo", runId: "20261121-101500-a1b2")
    try ReportWriter.write(runDirectory: run)

    let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
    for id in ["kpis", "data", "model", "training", "detection", "provenance"] {
      XCTAssertTrue(html.contains("<section id=\"\(id)\">"), "missing section \(id)")
    }
    XCTAssertFalse(html.contains("<section id=\"verification\">"))
    XCTAssertTrue(html.contains("AP@0.5, coco101 (101-point interpolated, as pycocotools COCOeval)"))
    XCTAssertTrue(html.contains("1 passed, 1 failed"))
    XCTAssertTrue(html.contains("<td class=\"num\">0.7100</td>"))
    XCTAssertTrue(html.contains("7,274,496"))
    XCTAssertTrue(html.contains("1 min 15 s"), "train wall time")
    XCTAssertTrue(html.contains("<code>train.epochs=3</code>"))
    XCTAssertTrue(html.contains("&quot;optimizer&quot;: &quot;sgd&quot;"), "resolved experiment is shown")
    XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 9, "figures inline as SVG")
    XCTAssertTrue(html.contains("src=\"data:image/png;base64,"), "sample grid inline")
    // Self-contained: nothing is fetched.
    XCTAssertFalse(html.contains("src=\"http"))
    XCTAssertFalse(html.contains("<link"))
    XCTAssertTrue(html.contains("table.sortable"))

    let markdown = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
    XCTAssertTrue(markdown.hasPrefix("# shapes-yolo — run 20261121-101500-a1b2\n"))
    XCTAssertTrue(markdown.contains("![Training loss terms](figures/training-loss.png)"))
    XCTAssertTrue(markdown.contains("![Training samples with ground truth](figures/data-samples.png)"))
    XCTAssertTrue(markdown.contains("| `map50` | 0.7100 | AP@0.5, coco101"))
    XCTAssertTrue(markdown.contains("```mermaid\nflowchart TD"))

    let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: run.appendingPathComponent("summary.json")))
    XCTAssertEqual(summary.status, "succeeded")
    XCTAssertEqual(summary.kpis["float"]?["map50"], 0.71)
    XCTAssertEqual(summary.sections, ["kpis", "data", "model", "training", "detection", "provenance"])
    XCTAssertEqual(summary.stages.map(\.wallSeconds), [1.2, 74.5, 3.25])
    for file in summary.figures {
      let data = try Data(contentsOf: run.appendingPathComponent("figures").appendingPathComponent(file))
      XCTAssertEqual(Array(data.prefix(8)), PNGHeader.signature, file)
    }
    XCTAssertTrue(summary.figures.contains("detection-confusion.png"))
    XCTAssertTrue(summary.figures.contains("model-graph.png"))
  }

  func testFailedRunShowsTheFailedStageAndError() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run-failed", into: root, experiment: "shapes-yolo", runId: "20261121-120000-ffee")
    try ReportWriter.write(runDirectory: run)
    let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("<span class=\"badge fail\">failed</span>"))
    XCTAssertTrue(html.contains("Stage <code>train</code> failed: Training diverged at epoch 2: the loss became NaN; lower train.lr."))
    XCTAssertTrue(html.contains("role=\"alert\""))
    XCTAssertFalse(html.contains("<section id=\"detection\">"))
    XCTAssertFalse(html.contains("<section id=\"kpis\">"))
    XCTAssertTrue(html.contains("<section id=\"training\">"))
    let markdown = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
    XCTAssertTrue(markdown.contains("> **Error:** Stage `train` failed: Training diverged at epoch 2"))
    let summary = try JSONDecoder().decode(RunSummary.self, from: Data(contentsOf: run.appendingPathComponent("summary.json")))
    XCTAssertEqual(summary.failedStage, "train")
    XCTAssertEqual(summary.status, "failed")
    XCTAssertEqual(summary.kpis, [:])
  }

  func testKPIDefinitionFallsBackToTheEvaluationReport() throws {
    var report = try RunReport.load(from: Fixtures.url("run"))
    report.metrics?.definitions = [:]
    let html = HTMLRenderer.render(report.document())
    XCTAssertTrue(html.contains("<td><code>map50</code></td><td class=\"num\">0.7100</td><td>AP definition coco101</td>"))
  }

  func testVerificationRunHasROCFoldsHistogramsAndQuantizedColumn() throws {
    let report = try RunReport.load(from: Fixtures.url("run-verification"))
    let document = report.document()
    XCTAssertEqual(document.sections.map(\.id), ["kpis", "verification", "provenance"])
    XCTAssertEqual(document.figures.map(\.id), ["verification-roc", "verification-folds", "verification-distances"])
    let html = HTMLRenderer.render(document)
    XCTAssertTrue(html.contains("<th class=\"num\">quantized</th>"))
    XCTAssertTrue(html.contains("0.9300 ± 0.0173 (std over folds), SE 0.0058"))
    XCTAssertTrue(html.contains("matched (same person)"))
    // Both histograms hold all 60 pairs.
    guard case .xy = ChartContent.xy([]) else { return }
    let bars = document.figures[2].scene.items.compactMap { item -> Double? in
      if case .rect(let r, _, _, _, .mark) = item { return r.height }
      return nil
    }
    XCTAssertGreaterThan(bars.count, 10)
  }
}
