import Charts
import Foundation
import RunFormat
import XCTest

@testable import Reporting

final class IndexAndCompareTests: XCTestCase {
  /// The `run_id` in fixture `name`'s manifest.
  func runId(_ name: String) throws -> String {
    try XCTUnwrap(Fixtures.object(name, "manifest.json")["run_id"] as? String)
  }

  func testIndexListsEveryRunWithKPIsAndLinks() throws {
    let root = try Fixtures.temporaryDirectory(self)
    // Folders named as the runner names them: <experiment>/<run id>.
    let (ok, failed, faces) = (try runId("run"), try runId("run-failed"), try runId("run-verification"))
    try Fixtures.copy("run", into: root, experiment: "quick", runId: ok)
    try Fixtures.copy("run-failed", into: root, experiment: "quick", runId: failed)
    try Fixtures.copy("run-verification", into: root, experiment: "faceid", runId: faces)
    let broken = try Fixtures.copy("run", into: root, experiment: "zz-broken", runId: "r1")
    try Data("[1,".utf8).write(to: broken.appendingPathComponent("manifest.json"))
    // The runner's `latest` link must not list a run twice.
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("quick/latest").path, withDestinationPath: failed)

    let index = try RunIndex.write(reportsRoot: root)
    XCTAssertGreaterThan(failed, ok, "the failed run is the newer of the two quick runs")
    XCTAssertEqual(index.entries.map(\.path), ["faceid/\(faces)", "quick/\(failed)", "quick/\(ok)", "zz-broken/r1"])
    // The first five KPIs in display order over both metrics.json files: detection ones first.
    let names = Set(
      try ["run", "run-verification"].flatMap { name in
        (try XCTUnwrap(Fixtures.object(name, "metrics.json")["float"] as? [String: Any])).keys
      })
    XCTAssertEqual(index.kpiColumns, Array(RunMetrics.ordered(names).prefix(5)))
    XCTAssertEqual(index.kpiColumns, ["map50", "map50_95", "map75", "precision", "recall"])
    let html = try String(contentsOf: root.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("<a href=\"quick/\(ok)/report.html\">\(ok)</a>"))
    XCTAssertTrue(html.contains("<a href=\"faceid/\(faces)/report.html\">"))
    XCTAssertTrue(html.contains("<span class=\"badge fail\">failed</span>"))
    XCTAssertTrue(html.contains("Runs (3)"))
    XCTAssertTrue(html.contains("<code>zz-broken/r1</code>: manifest.json is malformed"))
    let markdown = try String(contentsOf: root.appendingPathComponent("index.md"), encoding: .utf8)
    XCTAssertTrue(markdown.contains("[\(ok)](quick/\(ok)/report.html)"))
    // The succeeded run's row shows its metrics.json values in the KPI columns.
    let float = try XCTUnwrap(Fixtures.object("run", "metrics.json")["float"] as? [String: Any])
    let cells = try index.kpiColumns.map { try Fixtures.kpi(float[$0]) }.joined(separator: " | ")
    let row = try XCTUnwrap(markdown.split(separator: "\n").first { $0.contains("[\(ok)]") })
    XCTAssertTrue(row.contains("| \(cells) |"), String(row))
    XCTAssertTrue(row.contains("| \(try Fixtures.kpi(float["map50"])) |"))
    XCTAssertEqual(
      Set(try FileManager.default.contentsOfDirectory(atPath: root.path)),
      ["faceid", "quick", "zz-broken", "index.html", "index.md"], "no empty figures folder")
    XCTAssertFalse(html.contains("quick/latest"))
  }

  func testCompareShowsSettingsAndKPIDiffsAndOverlaidCurves() throws {
    let root = try Fixtures.temporaryDirectory(self)
    // A is the passing run; its history gets a validation `metric` per epoch (real quick runs
    // compute none) so the validation overlay is drawn. B is the run that failed at train.
    let a = try Fixtures.copy("run", into: root, experiment: "quick", runId: try runId("run"))
    let validation = [0.25, 0.5]
    try Fixtures.editJSON(a, "stages/train/volatile/history.json") { value in
      var epochs = try XCTUnwrap(value as? [[String: Any]])
      XCTAssertEqual(epochs.count, validation.count)
      for i in epochs.indices { epochs[i]["metric"] = validation[i] }
      value = epochs
    }
    let b = Fixtures.url("run-failed")
    let out = root.appendingPathComponent("compare")
    let report = try CompareReport.write(a: a, b: b, to: out)

    // B differs from A exactly by its command-line overrides.
    let overrides = try XCTUnwrap(Fixtures.json("run-failed", "overrides.json") as? [String])
    let diff = report.settingsDiff
    XCTAssertEqual(diff.map(\.path), overrides.map { String($0.prefix { $0 != "=" }) }.sorted())
    XCTAssertEqual(diff.map(\.path), ["train.grad_clip", "train.optimizer.lr"])
    let optimizerA = try XCTUnwrap(
      (Fixtures.object("run", "experiment.json")["train"] as? [String: Any])?["optimizer"] as? [String: Any])
    XCTAssertEqual(
      diff.first { $0.path == "train.optimizer.lr" }.map { [$0.a, $0.b] },
      ["\(try XCTUnwrap(optimizerA["lr"] as? Double))", "1e+30"])
    XCTAssertEqual(diff.first { $0.path == "train.grad_clip" }.map { [$0.a, $0.b] }, ["10", "0"])
    // Every KPI of A's metrics.json, none of B (it has no metrics.json).
    let float = try XCTUnwrap(Fixtures.object("run", "metrics.json")["float"] as? [String: Any])
    let kpis = report.kpiDiff
    XCTAssertEqual(Set(kpis.map(\.metric)), Set(float.keys))
    XCTAssertEqual(kpis.first?.metric, "map50")
    for k in kpis {
      XCTAssertEqual(k.variant, "float")
      XCTAssertTrue(Fixtures.same(k.a, float[k.metric]), k.metric)
      XCTAssertNil(k.b, k.metric)
    }
    let figures = report.curveFigures()
    XCTAssertEqual(figures.map(\.id), ["compare-loss", "compare-validation", "compare-f1"])
    let validationFigure = try XCTUnwrap(figures.first { $0.id == "compare-validation" })
    XCTAssertEqual(validationFigure.title, "Validation metric")
    let lines = validationFigure.scene.items.compactMap { item -> [Point]? in
      if case .polyline(let points, _, _, _, .mark) = item { return points }
      return nil
    }
    XCTAssertEqual(lines.map(\.count), [validation.count], "one line (A; B has no history) through both epochs")
    guard let line = lines.first, line.count == 2 else { return }
    XCTAssertLessThan(line[1].y, line[0].y, "the metric rises from 0.25 to 0.5, so the line goes up")
    let html = try String(contentsOf: out.appendingPathComponent("compare.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("<section id=\"settings\">"))
    XCTAssertTrue(
      html.contains("<code>train.optimizer.lr</code></td><td><code>0.003</code></td><td><code>1e+30</code>"))
    XCTAssertTrue(html.contains("<td class=\"num\">\(try Fixtures.kpi(float["map50"]))</td><td class=\"num\">–</td>"))
    XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/compare-loss.png").path))
    XCTAssertTrue(
      FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/compare-validation.png").path))
    // Links reach each run's report from the output folder.
    let linkB = try XCTUnwrap(report.reportLinks?.b)
    XCTAssertTrue(linkB.hasPrefix("../") && linkB.hasSuffix("Fixtures/run-failed/report.html"), linkB)
    XCTAssertEqual(
      out.appendingPathComponent(linkB).standardizedFileURL.path,
      b.appendingPathComponent("report.html").resolvingSymlinksInPath().path)
    let linkA = try XCTUnwrap(report.reportLinks?.a)
    XCTAssertEqual(
      out.appendingPathComponent(linkA).standardizedFileURL.path,
      a.appendingPathComponent("report.html").resolvingSymlinksInPath().path)
    XCTAssertTrue(
      try String(contentsOf: out.appendingPathComponent("compare.md"), encoding: .utf8).contains(
        "![Training loss](figures/compare-loss.png)"))
  }

  func testKPIDeltaIsSigned() throws {
    let a = try RunReport.load(from: Fixtures.url("run-verification"))
    let accuracy = try XCTUnwrap(
      (Fixtures.object("run-verification", "metrics.json")["float"] as? [String: Any])?["accuracy"] as? Double)
    XCTAssertEqual(a.metrics?.value("accuracy", variant: "float"), accuracy)
    var b = a
    b.metrics?.variants[0].values["accuracy"] = accuracy + 0.02
    var c = a
    c.metrics?.variants[0].values["accuracy"] = accuracy - 0.02
    let cell = { (v: Double) in "<td class=\"num\">\(String(format: "%.4f", v))</td>" }
    let html = HTMLRenderer.render(CompareReport(a: a, b: b).document())
    XCTAssertTrue(html.contains(cell(accuracy) + cell(accuracy + 0.02) + "<td class=\"num\">+0.0200</td>"))
    let lower = HTMLRenderer.render(CompareReport(a: a, b: c).document())
    XCTAssertTrue(lower.contains(cell(accuracy) + cell(accuracy - 0.02) + "<td class=\"num\">−0.0200</td>"))
    XCTAssertTrue(html.contains("The resolved experiments are identical."))
  }
}
