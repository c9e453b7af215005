import Foundation
import Support
import RunFormat
import XCTest

@testable import Reporting

final class RunReportLoadingTests: XCTestCase {
  func testFixtureRunLoadsEveryPart() throws {
    let report = try RunReport.load(from: Fixtures.url("run"))
    XCTAssertEqual(report.experimentName, "shapes-yolo")
    XCTAssertEqual(report.runId, "20261121-101500-a1b2")
    XCTAssertEqual(report.seed, 42)
    XCTAssertEqual(report.overrides, ["train.epochs=3"])
    XCTAssertEqual(report.manifest.stages.map(\.name), ["data", "train", "evaluate"])
    XCTAssertEqual(report.manifest.stages.map(\.cacheHit), [true, false, false])
    XCTAssertEqual(report.metrics?.variants.map(\.name), ["float"])
    XCTAssertEqual(report.metrics?.value("map50", variant: "float"), 0.71)
    XCTAssertEqual(report.metrics?.metricNames, ["map50", "map50_95", "precision", "recall", "f1"])
    XCTAssertEqual(report.data?.splitNames, ["train", "val"])
    XCTAssertEqual(report.data?.splits["val"]?.classHistogram, [180, 170, 180])
    XCTAssertEqual(report.cost?.totalMACs, 7_274_496)
    XCTAssertEqual(report.cost?.layers.first?.outputShape, [1, 16, 64, 64])
    XCTAssertEqual(report.history?.lossNames, ["loss", "box", "cls", "obj"])
    XCTAssertEqual(report.history?.validationNames, ["map50"])
    XCTAssertEqual(report.detection?.map50, 0.71)
    XCTAssertEqual(report.detection?.categories.map(\.name), ["circle", "square", "triangle"])
    XCTAssertEqual(report.detection?.confusionMatrix.counts[3][2], 21)
    XCTAssertNotNil(report.dataSamples)
    XCTAssertNil(report.verification)
    XCTAssertNil(report.pairDistances)
  }

  func testMissingOptionalFilesAreNil() throws {
    let report = try RunReport.load(from: Fixtures.url("run-failed"))
    XCTAssertNil(report.metrics)
    XCTAssertNil(report.detection)
    XCTAssertNil(report.cost)
    XCTAssertEqual(report.overrides, [])
    XCTAssertEqual(report.status, "failed")
    XCTAssertEqual(report.manifest.failedStage, "train")
  }

  func testMissingManifestIsATypedError() throws {
    let dir = try Fixtures.temporaryDirectory(self)
    try Data("{\"name\": \"x\", \"seed\": 1}".utf8).write(to: dir.appendingPathComponent("experiment.json"))
    XCTAssertThrowsError(try RunReport.load(from: dir)) { error in
      XCTAssertEqual(error as? ReportError, .missingRequiredFile(path: "manifest.json"))
      XCTAssertTrue("\(error)".contains("manifest.json is missing"))
    }
  }

  func testMalformedOptionalFileNamesTheFileAndPlace() throws {
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run", into: root, experiment: "e", runId: "r")
    try Data("{\"epochs\": [{\"epoch\": \"one\"}]}".utf8).write(to: run.appendingPathComponent("stages/train/history.json"))
    XCTAssertThrowsError(try RunReport.load(from: run)) { error in
      guard case .malformed(let path, let reason)? = error as? ReportError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, "stages/train/history.json")
      XCTAssertTrue(reason.contains("epochs[0].epoch"), reason)
    }
    try Data("not json".utf8).write(to: run.appendingPathComponent("metrics.json"))
    XCTAssertThrowsError(try RunReport.load(from: run)) { error in
      guard case .malformed(let path, _)? = error as? ReportError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, "metrics.json")
    }
  }

  func testJSONValuePrettyPrintsSortedAndFlattens() throws {
    let value = try JSONDecoder().decode(JSONValue.self, from: Data(#"{"b": {"y": [1, 2], "x": true}, "a": "s", "n": 0.5}"#.utf8))
    XCTAssertEqual(value.pretty(), "{\n  \"a\": \"s\",\n  \"b\": {\n    \"x\": true,\n    \"y\": [1, 2]\n  },\n  \"n\": 0.5\n}")
    XCTAssertEqual(value.flattened().map(\.path), ["a", "b.x", "b.y", "n"])
    XCTAssertEqual(value.flattened().map(\.value), ["\"s\"", "true", "[1, 2]", "0.5"])
  }

  func testTrainingMetricsHistoryArrayIsAccepted() throws {
    let json = """
      [{"epoch": 1, "imagesPerSecond": 250.5, "learningRate": 0.01, "metric": 0.31, "seconds": 4.2,
        "train": {"box": 0.5, "loss": 1.1}, "validation": {"loss": 1.3}},
       {"epoch": 2, "imagesPerSecond": 260, "learningRate": 0.005, "metric": null, "seconds": 4.0,
        "train": {"box": 0.4, "loss": 0.9}, "validation": {}}]
      """
    let history = try JSONDecoder().decode(TrainingHistory.self, from: Data(json.utf8))
    XCTAssertEqual(history.epochs.map(\.lr), [0.01, 0.005])
    XCTAssertEqual(history.epochs.map(\.imagesPerSecond), [250.5, 260])
    XCTAssertEqual(history.epochs[0].validationLoss, ["loss": 1.3])
    XCTAssertEqual(history.epochs.map(\.val), [["metric": 0.31], [:]])
    XCTAssertEqual(history.lossNames, ["loss", "box"])
    XCTAssertEqual(history.validationLossNames, ["loss"])
    var report = try RunReport.load(from: Fixtures.url("run"))
    report.history = history
    let html = HTMLRenderer.render(report.document())
    XCTAssertTrue(html.contains("Loss terms (validation dashed)"))
    XCTAssertTrue(html.contains("<th class=\"num\">val loss</th><th class=\"num\">val metric</th>"))
    XCTAssertTrue(html.contains("<td class=\"num\">4.2 s</td>"))
  }

  func testRunnerManifestFieldsAreRead() throws {
    let json = """
      {"workbench_version": "0.1.0", "run_id": "r", "experiment": "from-manifest", "created": "2026-11-21T10:00:00Z",
       "status": "interrupted", "failed_stage": "train", "error": "interrupted by the user", "host": "h",
       "seed": 18000000000000000000, "blas": "Haswell", "tool_versions": {"compiler": "swift 6.3+", "workbench": "0.1.0"},
       "stages": [], "gates": []}
      """
    let manifest = try JSONDecoder().decode(RunManifest.self, from: Data(json.utf8))
    XCTAssertEqual(manifest.seed, 18_000_000_000_000_000_000)
    XCTAssertEqual(manifest.toolVersions["compiler"], "swift 6.3+")
    let report = RunReport(folderName: "r", experiment: .object([:]), manifest: manifest)
    XCTAssertEqual(report.experimentName, "from-manifest")
    XCTAssertEqual(report.status, "interrupted")
    let html = HTMLRenderer.render(report.document())
    XCTAssertTrue(html.contains("Stage <code>train</code> was interrupted: interrupted by the user"))
    XCTAssertTrue(html.contains("<strong>Version of compiler</strong></td><td><code>swift 6.3+</code>"))
  }
}
