import Foundation
import RunFormat
import Support
import XCTest

@testable import Reporting

final class RunReportLoadingTests: XCTestCase {
  func testFixtureRunLoadsEveryPart() throws {
    // Expected values come from the fixture's files, parsed by JSONSerialization.
    let experiment = try Fixtures.object("run", "experiment.json")
    let manifest = try Fixtures.object("run", "manifest.json")
    let stages = try XCTUnwrap(manifest["stages"] as? [[String: Any]])
    let float = try XCTUnwrap(Fixtures.object("run", "metrics.json")["float"] as? [String: Any])
    let summary = try Fixtures.object("run", "stages/data/summary.json")
    let cost = try Fixtures.object("run", "stages/model/cost.json")
    let timedHistory = try XCTUnwrap(Fixtures.json("run", "stages/train/volatile/history.json") as? [[String: Any]])
    let detection = try Fixtures.object("run", "stages/evaluate-float/detection.json")

    let report = try RunReport.load(from: Fixtures.url("run"))
    XCTAssertEqual(report.experimentName, experiment["name"] as? String)
    XCTAssertEqual(report.experimentName, "quick")
    XCTAssertEqual(report.runId, manifest["run_id"] as? String)
    XCTAssertEqual(report.seed, (manifest["seed"] as? Int).map(UInt64.init))
    XCTAssertEqual(report.overrides, try XCTUnwrap(Fixtures.json("run", "overrides.json") as? [String]))
    XCTAssertEqual(report.manifest.stages.map(\.name), ["data", "model", "train", "evaluate-float"])
    XCTAssertEqual(report.manifest.stages.map(\.name), stages.map { $0["name"] as? String })
    XCTAssertEqual(report.manifest.stages.map(\.cacheHit), stages.map { $0["cache_hit"] as? Bool })
    XCTAssertEqual(report.metrics?.variants.map(\.name), ["float"])
    XCTAssertTrue(Fixtures.same(report.metrics?.value("map50", variant: "float"), float["map50"]))
    XCTAssertEqual(Set(report.metrics?.metricNames ?? []), Set(float.keys))
    XCTAssertEqual(
      report.metrics?.metricNames, ["map50", "map50_95", "map75", "precision", "recall", "f1", "confidence"])
    XCTAssertEqual(report.data?.splitNames, ["train", "val"])
    let splits = try XCTUnwrap(summary["splits"] as? [String: [String: Any]])
    XCTAssertEqual(report.data?.splits["val"]?.classHistogram, splits["val"]?["class_histogram"] as? [Double])
    let totals = try XCTUnwrap(cost["totals"] as? [String: Any])
    let layers = try XCTUnwrap(cost["layers"] as? [[String: Any]])
    XCTAssertEqual(report.cost?.totalMACs, totals["macs"] as? Int)
    XCTAssertEqual(report.cost?.totalParameters, totals["parameters"] as? Int)
    XCTAssertEqual(report.cost?.peakActivationBytes, totals["peak_activation_bytes"] as? Int)
    XCTAssertEqual(report.cost?.layers.count, layers.count)
    XCTAssertEqual(report.cost?.layers.first?.outputShape, layers.first?["output_shape"] as? [Int])
    // The timed history under volatile/ is preferred: its images/s are loaded.
    XCTAssertTrue(
      Fixtures.same(report.history?.epochs.map(\.imagesPerSecond), timedHistory.map { $0["imagesPerSecond"] }))
    XCTAssertTrue(Fixtures.same(report.history?.epochs.map(\.lr), timedHistory.map { $0["learningRate"] }))
    let trainTerms = Set(timedHistory.flatMap { ($0["train"] as? [String: Any] ?? [:]).keys })
    XCTAssertEqual(report.history?.lossNames, ["loss"] + trainTerms.subtracting(["loss"]).sorted())
    XCTAssertEqual(report.history?.lossNames, ["loss", "box", "class", "objectness"])
    let validationTerms = Set(timedHistory.flatMap { ($0["validation"] as? [String: Any] ?? [:]).keys })
    XCTAssertEqual(report.history?.validationLossNames, ["loss"] + validationTerms.subtracting(["loss"]).sorted())
    // Training records a validation `metric` only when it computes one; this run did not.
    XCTAssertEqual(report.history?.validationNames, timedHistory.contains { $0["metric"] is Double } ? ["metric"] : [])
    XCTAssertTrue(Fixtures.same(report.detection?.map50, detection["map50"]))
    let categories = try XCTUnwrap(detection["categories"] as? [[String: Any]])
    XCTAssertEqual(report.detection?.categories.map(\.name), categories.map { $0["name"] as? String })
    XCTAssertEqual(report.detection?.categories.map(\.name), ["circle", "rectangle", "triangle"])
    let confusion = try XCTUnwrap(detection["confusionMatrix"] as? [String: Any])
    let counts = try XCTUnwrap(confusion["counts"] as? [[Int]])
    XCTAssertEqual(report.detection?.confusionMatrix.counts, counts)
    XCTAssertEqual(report.detection?.confusionMatrix.labels, confusion["labels"] as? [String])
    XCTAssertNotNil(report.dataSamples)
    XCTAssertNotNil(report.predictionSamples)
    XCTAssertNil(report.verification)
    XCTAssertNil(report.pairDistances)
  }

  func testMissingOptionalFilesAreNil() throws {
    // The run failed at train: the data and model stages wrote their files, later stages none.
    let report = try RunReport.load(from: Fixtures.url("run-failed"))
    XCTAssertNil(report.metrics)
    XCTAssertNil(report.history)
    XCTAssertNil(report.detection)
    XCTAssertNil(report.predictionSamples)
    XCTAssertNotNil(report.data)
    XCTAssertNotNil(report.cost)
    XCTAssertEqual(report.overrides, try XCTUnwrap(Fixtures.json("run-failed", "overrides.json") as? [String]))
    XCTAssertEqual(report.status, "failed")
    XCTAssertEqual(report.manifest.failedStage, "train")
    // Without overrides.json there are no overrides; without cost.json no cost.
    let root = try Fixtures.temporaryDirectory(self)
    let run = try Fixtures.copy("run-failed", into: root, experiment: "e", runId: "r")
    try FileManager.default.removeItem(at: run.appendingPathComponent("overrides.json"))
    try FileManager.default.removeItem(at: run.appendingPathComponent("stages/model/cost.json"))
    let stripped = try RunReport.load(from: run)
    XCTAssertEqual(stripped.overrides, [])
    XCTAssertNil(stripped.cost)
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
    // The timed history (volatile/) is read first; a malformed one is named.
    try Data("[{\"epoch\": 1}, {\"epoch\": \"two\"}]".utf8).write(
      to: run.appendingPathComponent("stages/train/volatile/history.json"))
    XCTAssertThrowsError(try RunReport.load(from: run)) { error in
      guard case .malformed(let path, let reason)? = error as? ReportError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, "stages/train/volatile/history.json")
      XCTAssertTrue(reason.hasPrefix("at [1].epoch"), reason)
    }
    // Without it, stages/train/history.json is read.
    try FileManager.default.removeItem(at: run.appendingPathComponent("stages/train/volatile/history.json"))
    try Data("[{\"epoch\": \"one\"}]".utf8).write(to: run.appendingPathComponent("stages/train/history.json"))
    XCTAssertThrowsError(try RunReport.load(from: run)) { error in
      guard case .malformed(let path, let reason)? = error as? ReportError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, "stages/train/history.json")
      XCTAssertTrue(reason.hasPrefix("at [0].epoch"), reason)
    }
    try Data("not json".utf8).write(to: run.appendingPathComponent("metrics.json"))
    XCTAssertThrowsError(try RunReport.load(from: run)) { error in
      guard case .malformed(let path, _)? = error as? ReportError else { return XCTFail("\(error)") }
      XCTAssertEqual(path, "metrics.json")
    }
  }

  func testJSONValuePrettyPrintsSortedAndFlattens() throws {
    let value = try JSONDecoder().decode(
      JSONValue.self, from: Data(#"{"b": {"y": [1, 2], "x": true}, "a": "s", "n": 0.5}"#.utf8))
    XCTAssertEqual(
      value.pretty(), "{\n  \"a\": \"s\",\n  \"b\": {\n    \"x\": true,\n    \"y\": [1, 2]\n  },\n  \"n\": 0.5\n}")
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
