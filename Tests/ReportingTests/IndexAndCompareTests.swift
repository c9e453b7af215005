import Foundation
import XCTest

@testable import Reporting

final class IndexAndCompareTests: XCTestCase {
  func testIndexListsEveryRunWithKPIsAndLinks() throws {
    let root = try Fixtures.temporaryDirectory(self)
    try Fixtures.copy("run", into: root, experiment: "shapes-yolo", runId: "20261121-101500-a1b2")
    try Fixtures.copy("run-failed", into: root, experiment: "shapes-yolo", runId: "20261121-120000-ffee")
    try Fixtures.copy("run-verification", into: root, experiment: "faces-squeezenet", runId: "20261121-130000-0f0f")
    let broken = try Fixtures.copy("run", into: root, experiment: "zz-broken", runId: "r1")
    try Data("[1,".utf8).write(to: broken.appendingPathComponent("manifest.json"))
    // The runner's `latest` link must not list a run twice.
    try FileManager.default.createSymbolicLink(
      atPath: root.appendingPathComponent("shapes-yolo/latest").path, withDestinationPath: "20261121-120000-ffee")

    let index = try RunIndex.write(reportsRoot: root)
    XCTAssertEqual(
      index.entries.map(\.path),
      ["faces-squeezenet/20261121-130000-0f0f", "shapes-yolo/20261121-120000-ffee", "shapes-yolo/20261121-101500-a1b2", "zz-broken/r1"])
    XCTAssertEqual(index.kpiColumns, ["map50", "map50_95", "precision", "recall", "f1"])
    let html = try String(contentsOf: root.appendingPathComponent("index.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("<a href=\"shapes-yolo/20261121-101500-a1b2/report.html\">20261121-101500-a1b2</a>"))
    XCTAssertTrue(html.contains("<a href=\"faces-squeezenet/20261121-130000-0f0f/report.html\">"))
    XCTAssertTrue(html.contains("<span class=\"badge fail\">failed</span>"))
    XCTAssertTrue(html.contains("Runs (3)"))
    XCTAssertTrue(html.contains("<code>zz-broken/r1</code>: manifest.json is malformed"))
    let markdown = try String(contentsOf: root.appendingPathComponent("index.md"), encoding: .utf8)
    XCTAssertTrue(markdown.contains("[20261121-101500-a1b2](shapes-yolo/20261121-101500-a1b2/report.html)"))
    XCTAssertTrue(markdown.contains("| 0.7100 |"))
    XCTAssertEqual(
      Set(try FileManager.default.contentsOfDirectory(atPath: root.path)),
      ["faces-squeezenet", "shapes-yolo", "zz-broken", "index.html", "index.md"], "no empty figures folder")
    XCTAssertFalse(html.contains("shapes-yolo/latest"))
  }

  func testCompareShowsSettingsAndKPIDiffsAndOverlaidCurves() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let out = root.appendingPathComponent("compare")
    let report = try CompareReport.write(a: Fixtures.url("run"), b: Fixtures.url("run-failed"), to: out)
    let diff = report.settingsDiff
    XCTAssertEqual(diff.map(\.path), ["model.width", "seed", "train.epochs", "train.lr", "train.optimizer"])
    XCTAssertEqual(diff.first { $0.path == "train.epochs" }.map { [$0.a, $0.b] }, ["3", "10"])
    let kpis = report.kpiDiff
    XCTAssertEqual(kpis.count, 5)
    XCTAssertEqual(kpis.first?.metric, "map50")
    XCTAssertEqual(kpis.first?.a, 0.71)
    XCTAssertNil(kpis.first?.b)
    XCTAssertEqual(report.curveFigures().map(\.id), ["compare-loss", "compare-validation", "compare-f1"])
    let html = try String(contentsOf: out.appendingPathComponent("compare.html"), encoding: .utf8)
    XCTAssertTrue(html.contains("<section id=\"settings\">"))
    XCTAssertTrue(html.contains("<code>train.lr</code></td><td><code>0.01</code></td><td><code>0.1</code>"))
    XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("figures/compare-loss.png").path))
    // Links reach each run's report from the output folder.
    let linkA = try XCTUnwrap(report.reportLinks?.a)
    XCTAssertTrue(linkA.hasPrefix("../") && linkA.hasSuffix("Fixtures/run/report.html"), linkA)
    XCTAssertEqual(out.appendingPathComponent(linkA).standardizedFileURL.path, Fixtures.url("run").appendingPathComponent("report.html").resolvingSymlinksInPath().path)
    XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("compare.md"), encoding: .utf8).contains("![Training loss](figures/compare-loss.png)"))
  }

  func testKPIDeltaIsSigned() throws {
    let a = try RunReport.load(from: Fixtures.url("run-verification"))
    var b = a
    b.metrics?.variants[0].values["accuracy"] = 0.95
    let html = HTMLRenderer.render(CompareReport(a: a, b: b).document())
    XCTAssertTrue(html.contains("<td class=\"num\">0.9300</td><td class=\"num\">0.9500</td><td class=\"num\">+0.0200</td>"))
    XCTAssertTrue(html.contains("The resolved experiments are identical."))
  }
}
