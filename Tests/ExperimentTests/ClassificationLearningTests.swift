import Datasets
import Foundation
import Metrics
import Support
import Training
import XCTest

@testable import Experiment

/// A classification experiment end to end through the runner (data → model → train →
/// evaluate): `Experiments/classify.json` shrunk to a few seconds, on a digits file drawn with
/// less nuisance (no clutter, small pose changes) so that a short run must clearly learn.
final class ClassificationLearningTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-classify-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    Cancellation.set(false)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func testShortRunLearnsDigitsAndWritesTheClassificationReport() throws {
    var data = DigitsConfig()
    data.seed = 5
    data.width = 24; data.height = 24
    data.trainCount = 1000; data.valCount = 200
    data.clutter = 0; data.noise = 4; data.maxRotation = 8; data.maxShear = 0.1; data.maxShift = 0.05
    data.minScale = 0.7; data.maxScale = 0.85
    let file = scratch.appendingPathComponent("digits.h5").path
    try DigitsGenerator(data).write(to: file)

    let experiment = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/classify.json").path,
      overrides: [
        "data.source=file", "data.path=\(file)", "data.image_size=24", "model.width=0.5",
        "train.epochs=5", "train.batch_size=32", "train.optimizer.lr=0.02", "evaluate.gates.accuracy=>= 0.5",
      ])
    var options = Runner.Options()
    options.cache = Cache(root: scratch.appendingPathComponent("cache"))
    options.reportsRoot = scratch.appendingPathComponent("Reports")
    options.progress = ProgressReporter(isTerminal: false, write: { _ in })
    let result = try Runner().run(experiment, options: options)

    let evaluate = result.runDirectory.appendingPathComponent("stages/evaluate-float")
    let report = try JSONDecoder().decode(
      ClassificationReport.self, from: Data(contentsOf: evaluate.appendingPathComponent("classification.json")))
    XCTAssertEqual(report.samples, 200)
    XCTAssertEqual(report.classNames, DigitsConfig.classNames)
    XCTAssertEqual(report.confusionMatrix.joined().reduce(0, +), 200)
    XCTAssertEqual(report.perClass.map(\.support), [Int](repeating: 20, count: 10))
    // Chance is 0.1; five short epochs on clean digits must do far better.
    XCTAssertGreaterThan(report.accuracy, 0.7)
    XCTAssertGreaterThanOrEqual(report.topK.first { $0.k == 5 }?.accuracy ?? 0, report.accuracy)
    let calibration = try XCTUnwrap(report.calibration)
    XCTAssertEqual(calibration.bins.map(\.count).reduce(0, +), 200)

    let metrics = try XCTUnwrap(result.metrics)
    XCTAssertEqual(metrics.value("accuracy", variant: "float") ?? -1, report.accuracy, accuracy: 1e-12)
    XCTAssertEqual(metrics.value("ece", variant: "float") ?? -1, calibration.expectedCalibrationError, accuracy: 1e-12)
    XCTAssertNotNil(metrics.value("top5", variant: "float"))
    XCTAssertNotNil(metrics.definitions["ece"])
    XCTAssertEqual(result.manifest.gates.first?.passed, true)
    XCTAssertTrue(FileManager.default.fileExists(atPath: evaluate.appendingPathComponent("samples.png").path))
    let history = try JSONValue.parse(
      Data(contentsOf: result.runDirectory.appendingPathComponent("stages/train/history.json")), file: "history")
    XCTAssertNotNil(history.arrayValue?.first?["train"]?["ce"]?.doubleValue, "the loss term is named ce")
  }
}
