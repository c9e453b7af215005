import Foundation
import RunFormat
import Support
import Training
import XCTest

@testable import Experiment

/// The speed requirement: the sensitivity analysis of the trained yolo model (every
/// prunable group × 0.1…0.9 on 128 validation images) runs in under a minute on the 2-core
/// machine. Needs a trained `yolo-pruned` run: set `WB_YOLO_RUN` to a folder holding its
/// `model.json` (train stage) and `dataset.h5` (data stage).
final class SensitivityTimingTests: XCTestCase {
  func testYoloSensitivityRunsInUnderAMinute() throws {
    guard let folder = ProcessInfo.processInfo.environment["WB_YOLO_RUN"] else {
      throw XCTSkip("set WB_YOLO_RUN to a folder with a trained yolo model.json and its dataset.h5")
    }
    let root = URL(fileURLWithPath: folder)
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/yolo-pruned.json").path,
      overrides: ["compress.prune.ratios=sensitivity"])
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("wb-sens-\(getpid())")
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: output) }
    let context = StageContext(
      experiment: e, output: output, work: output,
      artifacts: [
        .dataset: [root.appendingPathComponent("dataset.h5")],
        .trainedModel: [root.appendingPathComponent("model.json")],
      ],
      rng: RandomStream(seed: e.settings.seed).split("sensitivity"),
      progress: ProgressReporter(isTerminal: false, write: { print($0, terminator: "") }))
    let start = Date()
    try SensitivityStage().run(context)
    let seconds = Date().timeIntervalSince(start)
    let record = try JSONDecoder().decode(
      SensitivityRecord.self, from: Data(contentsOf: output.appendingPathComponent("sensitivity.json")))
    XCTAssertEqual(record.samples, 128)
    XCTAssertEqual(record.ratios.count, 9)
    for curve in record.curves {
      print(curve.group, curve.channels, curve.points.map { String(format: "%.3f", $0.kpi) }.joined(separator: " "))
    }
    print(
      String(
        format: "sensitivity of %d groups: %.1f s, baseline map50 %.4f", record.curves.count, seconds, record.baseline))
    XCTAssertLessThan(seconds, 60)
  }
}
