import Support
import Training
import XCTest

@testable import Experiment

/// `simulate.k210` adds the static K210 check after the model stage: it records the check and,
/// when the model cannot deploy, stops the run before training.
final class K210CheckStageTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-k210-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func run(_ overrides: [String]) throws -> (ResolvedExperiment, Result<Runner.Result, Error>) {
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
      overrides: ["data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8"] + overrides)
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    return (e, Result { try Runner().run(e, options: o) })
  }

  func testTheCheckRunsAfterTheModelStageAndRecordsItsResult() throws {
    let (e, result) = try run(["simulate.k210.reserve_bytes=2097152", "evaluate.gates.k210.kpu_ram_bytes=<= 2097152"])
    let r = try result.get()
    // the check's numbers are a metrics block that gates (and sweep objectives) address
    let block = try XCTUnwrap(r.metrics?.variants.first { $0.name == "k210" })
    XCTAssertEqual(r.metrics?.variants.map(\.name), ["float", "k210"])
    XCTAssertGreaterThan(block.values["kpu_ms"] ?? 0, 0)
    XCTAssertEqual(r.manifest.gates.map(\.metric), ["k210.kpu_ram_bytes", "map50"])
    XCTAssertEqual(r.manifest.gates.first?.passed, true)
    XCTAssertEqual(r.manifest.gates.first?.value, block.values["kpu_ram_bytes"])
    XCTAssertEqual(
      r.manifest.stages.map(\.name), ["data", "model", "check-k210", "train", "evaluate-float", "simulate-k210"])
    // the trained model's simulated time and frame pipeline: the headline scenario (dma-upload)
    // is the block's fps and latency; a camera-bound pipeline runs at the camera's 30 fps
    let simulation = try JSONValue.parse(
      Data(contentsOf: r.runDirectory.appendingPathComponent("stages/simulate-k210/k210-simulation.json")),
      file: "simulation")
    guard case .array(let scenarios)? = simulation["scenarios"] else { return XCTFail("no scenarios") }
    XCTAssertEqual(
      scenarios.compactMap { $0["scenario"]?.stringValue }, ["sequential", "camera-overlap", "dual-core", "dma-upload"])
    XCTAssertEqual(block.values["fps"], scenarios.last?["fps"]?.doubleValue)
    XCTAssertEqual(block.values["fps"] ?? 0, 30, accuracy: 0.01)
    XCTAssertLessThan(scenarios.first?["fps"]?.doubleValue ?? 99, 30)
    XCTAssertGreaterThan(block.values["latency_ms"] ?? 0, 1000.0 / 30)
    XCTAssertEqual(
      block.values["model_ms"] ?? 0, (block.values["kpu_ms"] ?? 0) + (block.values["cpu_ms"] ?? 0), accuracy: 1e-9)
    let json = try JSONValue.parse(
      Data(contentsOf: r.runDirectory.appendingPathComponent("stages/check-k210/k210-check.json")), file: "check")
    XCTAssertEqual(json["problems"], .array([]))
    XCTAssertEqual(json["limits"]?["reserve"], .number(2_097_152))
    // the dry run's check, built from the settings alone, is the same check
    let dry = try XCTUnwrap(K210CheckStage.dryRun(e))
    XCTAssertEqual(json["modelBytes"], .number(Double(dry.modelBytes)))
    XCTAssertEqual(json["kpu"]?["peakBytes"], .number(Double(dry.kpu.peakBytes)))
    XCTAssertEqual(block.values["kpu_ram_peak_bytes"], Double(dry.kpu.peakBytes))
    // without simulate.k210 there is no k210 block to gate on
    XCTAssertThrowsError(
      try ExperimentLoader.load(
        path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
        overrides: ["evaluate.gates.k210.kpu_ms=<= 30"])
    ) { XCTAssertTrue("\($0)".contains("produces no `k210` model variant"), "\($0)") }
  }

  func testAnInfeasibleModelStopsTheRunBeforeTraining() throws {
    // 416×416: the first convolutions exceed the KPU's 256-row limit and fall back to float32 on
    // the CPU, whose tensors do not fit the main memory left after a 5 MiB reserve
    let (e, result) = try run(["model.input_size=416", "simulate.k210.reserve_bytes=5242880"])
    XCTAssertFalse(try XCTUnwrap(K210CheckStage.dryRun(e)).fits)
    guard case .failure(let error) = result, let failure = error as? RunFailure else {
      return XCTFail("the run should have failed at check-k210")
    }
    XCTAssertEqual(failure.stage, "check-k210")
    XCTAssertTrue(
      "\(failure.underlying)".hasPrefix("the model does not fit the K210: the model needs"), "\(failure.underlying)")
    let manifest = try JSONValue.parse(
      Data(contentsOf: failure.runDirectory.appendingPathComponent("manifest.json")), file: "m")
    XCTAssertEqual(manifest["stages"]?.arrayValue?.compactMap { $0["name"]?.stringValue }, ["data", "model"])
  }
}
