import Charts
import Foundation
import XCTest

@testable import Reporting

final class ReportWriterTests: XCTestCase {
  /// `text` escaped as the HTML renderer escapes users' text (written out independently).
  func htmlEscaped(_ text: String) -> String {
    text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
      .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
      .replacingOccurrences(of: "'", with: "&#39;")
  }

  /// `n` with thousands separators, `3,911,680`.
  func grouped(_ n: Int) -> String {
    let digits = Array(String(n))
    return stride(from: digits.count, to: 0, by: -3).reversed().map { String(digits[max(0, $0 - 3)..<$0]) }.joined(
      separator: ",")
  }

  func testFixtureRunRendersHTMLMarkdownJSONAndFigures() throws {
    let manifest = try Fixtures.object("run", "manifest.json")
    let runId = try XCTUnwrap(manifest["run_id"] as? String)
    let experiment = try Fixtures.object("run", "experiment.json")
    let name = try XCTUnwrap(experiment["name"] as? String)
    let metrics = try Fixtures.object("run", "metrics.json")
    let float = try XCTUnwrap(metrics["float"] as? [String: Any])
    let definitions = try XCTUnwrap(metrics["definitions"] as? [String: String])
    let gates = try XCTUnwrap(manifest["gates"] as? [[String: Any]])
    let stages = try XCTUnwrap(manifest["stages"] as? [[String: Any]])
    let totals = try XCTUnwrap(Fixtures.object("run", "stages/model/cost.json")["totals"] as? [String: Any])
    let optimizer = try XCTUnwrap((experiment["train"] as? [String: Any])?["optimizer"] as? [String: Any])

    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: name, runId: runId)
    try ReportWriter.write(runDirectory: run)

    let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
    for id in ["kpis", "data", "model", "training", "detection", "provenance"] {
      XCTAssertTrue(html.contains("<section id=\"\(id)\">"), "missing section \(id)")
    }
    XCTAssertFalse(html.contains("<section id=\"verification\">"))
    XCTAssertTrue(html.contains(htmlEscaped(try XCTUnwrap(definitions["map50"]))))
    let passed = gates.filter { $0["passed"] as? Bool == true }.count
    XCTAssertTrue(html.contains("\(passed) passed, \(gates.count - passed) failed"))
    XCTAssertTrue(html.contains("<td class=\"num\">\(try Fixtures.kpi(float["map50"]))</td>"))
    XCTAssertTrue(html.contains(grouped(try XCTUnwrap(totals["macs"] as? Int))), "total MACs")
    XCTAssertTrue(html.contains(grouped(try XCTUnwrap(totals["parameters"] as? Int))), "total parameters")
    let train = try XCTUnwrap(stages.first { $0["name"] as? String == "train" }?["wall_seconds"] as? Double)
    XCTAssertTrue((1..<60).contains(train))
    XCTAssertTrue(html.contains(String(format: "%.1f s", train)), "train wall time")
    XCTAssertTrue(html.contains("<strong>Overrides:</strong> none"), "the run had no overrides")
    XCTAssertTrue(
      html.contains("&quot;name&quot;: &quot;\(try XCTUnwrap(optimizer["name"] as? String))&quot;"),
      "resolved experiment is shown")
    // Every figure but the two sample grids (inline PNG, listed last) is inline SVG.
    let summary = try JSONDecoder().decode(
      RunSummary.self, from: Data(contentsOf: run.appendingPathComponent("summary.json")))
    XCTAssertEqual(
      summary.figures,
      [
        "data-class-histogram.png", "model-macs.png", "model-graph.png", "training-loss.png", "training-lr.png",
        "detection-pr.png", "detection-confidence.png", "detection-confusion.png", "data-samples.png",
        "prediction-samples.png",
      ])
    XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, summary.figures.count - 2, "figures inline as SVG")
    XCTAssertEqual(html.components(separatedBy: "src=\"data:image/png;base64,").count - 1, 2, "sample grids inline")
    // Self-contained: nothing is fetched.
    XCTAssertFalse(html.contains("src=\"http"))
    XCTAssertFalse(html.contains("<link"))
    XCTAssertTrue(html.contains("table.sortable"))

    let markdown = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
    XCTAssertTrue(markdown.hasPrefix("# \(name) — run \(runId)\n"))
    XCTAssertTrue(markdown.contains("![Loss terms (validation dashed)](figures/training-loss.png)"))
    XCTAssertTrue(markdown.contains("![Training samples with ground truth](figures/data-samples.png)"))
    XCTAssertTrue(markdown.contains("![Validation samples with predictions](figures/prediction-samples.png)"))
    XCTAssertTrue(
      markdown.contains("| `map50` | \(try Fixtures.kpi(float["map50"])) | \(try XCTUnwrap(definitions["map50"])) |"))
    XCTAssertTrue(markdown.contains("```mermaid\nflowchart TD"))

    XCTAssertEqual(summary.status, "succeeded")
    XCTAssertEqual(summary.experiment, name)
    XCTAssertEqual(summary.runId, runId)
    XCTAssertTrue(Fixtures.same(summary.kpis["float"]?["map50"], float["map50"]))
    XCTAssertEqual(summary.kpis["float"]?.count, float.count)
    XCTAssertEqual(summary.sections, ["kpis", "data", "model", "training", "detection", "provenance"])
    XCTAssertEqual(summary.stages.map(\.name), stages.map { $0["name"] as? String })
    XCTAssertTrue(Fixtures.same(summary.stages.map(\.wallSeconds), stages.map { $0["wall_seconds"] }))
    for file in summary.figures {
      let data = try Data(contentsOf: run.appendingPathComponent("figures").appendingPathComponent(file))
      XCTAssertEqual(Array(data.prefix(8)), PNGHeader.signature, file)
    }
  }

  func testFailedRunShowsTheFailedStageAndError() throws {
    let manifest = try Fixtures.object("run-failed", "manifest.json")
    let error = try XCTUnwrap(manifest["error"] as? String)
    let failedStage = try XCTUnwrap(manifest["failed_stage"] as? String)
    XCTAssertEqual(failedStage, "train")
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy(
      "run-failed", into: root, experiment: "quick", runId: try XCTUnwrap(manifest["run_id"] as? String))
    try ReportWriter.write(runDirectory: run)
    let html = try String(contentsOf: run.appendingPathComponent("report.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("<span class=\"badge fail\">failed</span>"))
    XCTAssertTrue(html.contains("Stage <code>train</code> failed: \(htmlEscaped(error))"))
    XCTAssertTrue(html.contains("role=\"alert\""))
    // Stages before train ran: their sections are shown; train's and later ones are not.
    XCTAssertTrue(html.contains("<section id=\"data\">"))
    XCTAssertTrue(html.contains("<section id=\"model\">"))
    XCTAssertFalse(html.contains("<section id=\"training\">"))
    XCTAssertFalse(html.contains("<section id=\"detection\">"))
    XCTAssertFalse(html.contains("<section id=\"kpis\">"))
    for override in try XCTUnwrap(Fixtures.json("run-failed", "overrides.json") as? [String]) {
      XCTAssertTrue(html.contains("<code>\(override)</code>"), override)
    }
    let markdown = try String(contentsOf: run.appendingPathComponent("report.md"), encoding: .utf8)
    XCTAssertTrue(markdown.contains("> **Error:** Stage `train` failed: \(error)"))
    let summary = try JSONDecoder().decode(
      RunSummary.self, from: Data(contentsOf: run.appendingPathComponent("summary.json")))
    XCTAssertEqual(summary.failedStage, failedStage)
    XCTAssertEqual(summary.error, error)
    XCTAssertEqual(summary.status, "failed")
    XCTAssertEqual(summary.kpis, [:])
    XCTAssertEqual(summary.sections, ["data", "model", "provenance"])
  }

  func testKPIDefinitionFallsBackToTheEvaluationReport() throws {
    var report = try RunReport.load(from: Fixtures.url("run"))
    report.metrics?.definitions = [:]
    let map50 = try Fixtures.kpi(
      try Fixtures.object("run", "metrics.json")["float"].flatMap { $0 as? [String: Any] }?["map50"])
    let definition = try XCTUnwrap(
      Fixtures.object("run", "stages/evaluate-float/detection.json")["definition"] as? String)
    let html = HTMLRenderer.render(report.document())
    XCTAssertTrue(
      html.contains("<td><code>map50</code></td><td class=\"num\">\(map50)</td><td>AP definition \(definition)</td>"))
  }

  func testVerificationRunHasROCFoldsHistogramsAndQuantizedColumn() throws {
    // Real runs have only the float variant: a copy gets a `quantized` block in metrics.json
    // (float values minus 0.05) so the variant column is rendered.
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run-verification", into: root, experiment: "faceid", runId: "r")
    try Fixtures.editJSON(run, "metrics.json") { value in
      var metrics = try XCTUnwrap(value as? [String: Any])
      let float = try XCTUnwrap(metrics["float"] as? [String: Any])
      metrics["quantized"] = ["accuracy": try XCTUnwrap(float["accuracy"] as? Double) - 0.05]
      value = metrics
    }
    let report = try RunReport.load(from: run)
    XCTAssertEqual(report.metrics?.variants.map(\.name), ["float", "quantized"])
    let document = report.document()
    XCTAssertEqual(document.sections.map(\.id), ["kpis", "data", "model", "training", "verification", "provenance"])
    XCTAssertEqual(
      document.figures.map(\.id),
      [
        "model-macs", "model-graph", "training-loss", "training-lr", "verification-roc", "verification-folds",
        "verification-distances",
      ])
    let html = HTMLRenderer.render(document)
    XCTAssertTrue(html.contains("<th class=\"num\">quantized</th>"))
    let float = try XCTUnwrap(Fixtures.object("run-verification", "metrics.json")["float"] as? [String: Any])
    let accuracy = try XCTUnwrap(float["accuracy"] as? Double)
    XCTAssertTrue(
      html.contains(
        "<td class=\"num\">\(try Fixtures.kpi(accuracy))</td><td class=\"num\">\(try Fixtures.kpi(accuracy - 0.05))</td>"
      ))
    // Mean ± std over folds and the standard error, recomputed from the fold accuracies: the
    // population std (÷ n) and, as on the LFW results page, SE = sample std (÷ (n − 1)) / √n.
    let verification = try Fixtures.object("run-verification", "stages/evaluate-float/verification.json")
    let folds = try XCTUnwrap(verification["foldAccuracies"] as? [Double])
    let n = Double(folds.count)
    let mean = folds.reduce(0, +) / n
    let squares = folds.map { ($0 - mean) * ($0 - mean) }.reduce(0, +)
    XCTAssertEqual(mean, accuracy, accuracy: 1e-12)
    XCTAssertEqual(verification["standardDeviation"] as? Double ?? .nan, (squares / n).squareRoot(), accuracy: 1e-12)
    XCTAssertEqual(
      verification["standardError"] as? Double ?? .nan, (squares / (n - 1)).squareRoot() / n.squareRoot(),
      accuracy: 1e-12)
    let text =
      "\(try Fixtures.kpi(mean)) ± \(try Fixtures.kpi((squares / n).squareRoot())) (std over folds), SE \(try Fixtures.kpi((squares / (n - 1)).squareRoot() / n.squareRoot()))"
    XCTAssertTrue(html.contains(text), text)
    XCTAssertTrue(html.contains("matched (same person)"))
    // The distance histograms: one bar per non-empty bin of 30 over the pooled range, per series.
    let distances = try Fixtures.object("run-verification", "stages/evaluate-float/verification_distances.json")
    let same = try XCTUnwrap(distances["same"] as? [Double])
    let different = try XCTUnwrap(distances["different"] as? [Double])
    XCTAssertEqual(same.count + different.count, verification["pairs"] as? Int)
    let (lo, hi) = (try XCTUnwrap((same + different).min()), try XCTUnwrap((same + different).max()))
    func nonEmptyBins(_ values: [Double]) -> Int { Set(values.map { min(29, Int(($0 - lo) / (hi - lo) * 30)) }).count }
    let figure = try XCTUnwrap(document.figures.first { $0.id == "verification-distances" })
    let bars = figure.scene.items.compactMap { item -> Double? in
      if case .rect(let r, _, _, _, .mark) = item { return r.height }
      return nil
    }
    XCTAssertEqual(bars.count, nonEmptyBins(same) + nonEmptyBins(different))
    XCTAssertTrue(bars.allSatisfy { $0 > 0 })
  }
}
