import Graph
import Support
import Tensors
import Training
import XCTest

@testable import Experiment

/// The runner end to end on `Experiments/quick.json` (real data, model, training and
/// evaluation), plus cheap synthetic stages for failure and concurrency cases.
final class RunnerTests: XCTestCase {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-runner-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    Cancellation.set(false)
  }

  override func tearDownWithError() throws {
    Cancellation.set(false)
    try? FileManager.default.removeItem(at: scratch)
  }

  func options(_ cache: String) -> Runner.Options {
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent(cache))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    return o
  }

  func quick(_ overrides: [String] = []) throws -> ResolvedExperiment {
    try ExperimentLoader.load(
      path: Self.root.appendingPathComponent("Experiments/quick.json").path, overrides: overrides)
  }

  func outputs(_ r: Runner.Result) -> [String: [String: String]] {
    Dictionary(uniqueKeysWithValues: r.manifest.stages.map { ($0.name, $0.outputs) })
  }

  /// Same spec, data and code from two empty caches: identical artifact hashes and metrics;
  /// then an interrupted run resumed from its checkpoint gives the same weights again.
  func testReproducibleAndResumable() throws {
    let e = try quick()
    let a = try Runner().run(e, options: options("cache-a"))
    let b = try Runner().run(e, options: options("cache-b"))
    XCTAssertEqual(outputs(a), outputs(b))
    XCTAssertEqual(a.metrics, b.metrics)
    XCTAssertNotNil(a.metrics?.value("map50", variant: "float"))
    XCTAssertEqual(a.manifest.stages.map(\.name), ["data", "model", "train", "evaluate-float"])
    XCTAssertEqual(
      a.manifest.artifacts.keys.sorted(), ["dataset", "metrics:float", "model", "model:deploy", "model:trained"])
    XCTAssertEqual(a.manifest.artifacts["model:trained"]?.stage, "train")
    // the deployment graph: BatchNorm folded by the pipeline, the same function up to rounding
    let trained = try ModelGraph.read(a.runDirectory.appendingPathComponent("stages/train/model.json"))
    let deploy = try ModelGraph.read(a.runDirectory.appendingPathComponent("stages/train/model.deploy.json"))
    XCTAssertGreaterThan(trained.nodes.filter { $0.op == .batchNorm }.count, 0)
    XCTAssertEqual(deploy.nodes.filter { $0.op == .batchNorm }.count, 0)
    var rng = RandomStream(seed: 5)
    let x = Tensor<Float>.uniform([2] + Array(trained.inputs[0].shape.dropFirst()), rng: &rng)
    let (yt, yd) = (
      try trained.evaluate(inputs: [trained.inputs[0].name: x]), try deploy.evaluate(inputs: [deploy.inputs[0].name: x])
    )
    for o in trained.outputs {
      let (t, d) = (yt[o.name]?.scalars ?? [], yd[o.name]?.scalars ?? [])
      XCTAssertEqual(t.count, d.count)
      let scale = max(1, t.map(abs).max() ?? 1)
      XCTAssertLessThan(zip(t, d).map { abs($0 - $1) }.max() ?? 1, 1e-3 * scale, o.name)
    }
    let passes = try JSONValue.parse(
      Data(contentsOf: a.runDirectory.appendingPathComponent("stages/model/passes.json")), file: "passes")
    XCTAssertEqual(passes.arrayValue?.compactMap { $0["pass"]?.stringValue }, ["validate", "eliminate-dead-nodes"])
    XCTAssertEqual(
      a.manifest.artifacts["model:trained"]?.files, ["stages/train/model.json", "stages/train/weights.h5"])
    // the reader's record holds the content hash of exactly the artifacts it read
    XCTAssertEqual(
      a.manifest.stages[3].inputs,
      [
        "dataset": a.manifest.artifacts["dataset"]?.hash ?? "",
        "model:trained": a.manifest.artifacts["model:trained"]?.hash ?? "",
      ])
    XCTAssertTrue(a.manifest.stages.allSatisfy { !$0.cacheHit })
    XCTAssertEqual(a.manifest.gates.first?.passed, true)
    XCTAssertEqual(a.manifest.toolVersions["build"], CodeVersion.build)

    // interrupt during training (stops after the first epoch's checkpoint), then resume
    Cancellation.set(true)
    XCTAssertThrowsError(try Runner().run(e, options: options("cache-c"))) { error in
      guard let f = error as? RunFailure else { return XCTFail("\(error)") }
      XCTAssertEqual(f.stage, "train")
      let manifest = try? JSONValue.parse(
        Data(contentsOf: f.runDirectory.appendingPathComponent("manifest.json")), file: "m")
      XCTAssertEqual(manifest?["status"], "interrupted")
    }
    XCTAssertNil(
      try Cache(root: scratch.appendingPathComponent("cache-c")).lookup(
        stage: "train", key: a.manifest.stages[2].key ?? ""))
    Cancellation.set(false)
    let c = try Runner().run(e, options: options("cache-c"))
    XCTAssertEqual(outputs(c)["train"], outputs(a)["train"], "resumed training must give bit-identical artifacts")
    XCTAssertEqual(c.metrics, a.metrics)
  }

  /// Changing only evaluation settings re-uses data, model and training.
  func testOnlyAffectedStagesRerun() throws {
    let o = options("cache")
    _ = try Runner().run(try quick(), options: o)
    let r = try Runner().run(try quick(["evaluate.ap=voc07"]), options: o)
    XCTAssertEqual(r.manifest.stages.map(\.cacheHit), [true, true, true, false])
    let plan = try Runner().plan(try quick(["evaluate.ap=voc07"]), options: o)
    XCTAssertTrue(plan.allSatisfy(\.cached))
    let forced = try Runner().run(
      try quick(["evaluate.ap=voc07"]),
      options: {
        var x = o; x.force = ["model"]; return x
      }())
    XCTAssertEqual(forced.manifest.stages.map(\.cacheHit), [true, false, false, false])
    XCTAssertEqual(outputs(forced), outputs(r), "re-running deterministic stages reproduces them")
  }

  func testFailedGateIsReported() throws {
    let r = try Runner().run(try quick(["evaluate.gates.map50=>= 1.5"]), options: options("cache"))
    XCTAssertEqual(r.failedGates.map(\.metric), ["map50"])
    XCTAssertEqual(r.failedGates.first?.condition, ">= 1.5")
  }

  // MARK: synthetic stages

  struct WriteStage: Stage {
    let name: String
    let reads: [ArtifactName]
    var fail = false
    var delay: UInt32 = 0
    var writes: [ArtifactOutput] { [ArtifactOutput(ArtifactName(name), ["out.txt"])] }
    func settings(_ e: ResolvedExperiment) -> JSONValue { .string(name) }
    func run(_ context: StageContext) throws {
      if delay > 0 { usleep(delay) }
      try AtomicWrite.write(
        "\(name) \(context.artifacts.keys.sorted())", to: context.output.appendingPathComponent("out.txt"))
      if fail { throw StageError.failed("stage \(name) failed on purpose") }
    }
  }

  func testFailingStageLeavesNoCacheEntryAndTheRunSaysWhy() throws {
    let runner = Runner(stages: [
      WriteStage(name: "data", reads: []), WriteStage(name: "train", reads: ["data"], fail: true),
    ])
    let o = options("cache")
    XCTAssertThrowsError(try runner.run(try quick(), options: o)) { error in
      guard let f = error as? RunFailure else { return XCTFail("\(error)") }
      XCTAssertEqual(f.stage, "train")
      let m = try? JSONValue.parse(Data(contentsOf: f.runDirectory.appendingPathComponent("manifest.json")), file: "m")
      XCTAssertEqual(m?["status"], "failed")
      XCTAssertEqual(m?["failed_stage"], "train")
      XCTAssertEqual(m?["error"], "stage train failed on purpose")
    }
    let stages = o.cache.entries().map(\.entry.stage)
    XCTAssertEqual(stages, ["data"])
    let leftovers = try FileManager.default.contentsOfDirectory(
      atPath: o.cache.root.appendingPathComponent("train").path
    ).filter { $0.hasPrefix(".tmp") }
    XCTAssertEqual(leftovers, [])
  }

  func testConcurrentRunsShareOneCacheSafely() throws {
    let runner = Runner(stages: [
      WriteStage(name: "data", reads: [], delay: 200_000), WriteStage(name: "train", reads: ["data"], delay: 200_000),
    ])
    let o = options("shared")
    let e = try quick()
    var results = [Runner.Result?](repeating: nil, count: 4)
    let lock = NSLock()
    DispatchQueue.concurrentPerform(iterations: 4) { i in
      let r = try? runner.run(e, options: o)
      lock.lock(); results[i] = r; lock.unlock()
    }
    XCTAssertTrue(results.allSatisfy { $0 != nil })
    let hits = results.compactMap { $0 }.map { $0.manifest.stages.filter(\.cacheHit).count }
    XCTAssertEqual(hits.map { 2 - $0 }.reduce(0, +), 2, "each stage is computed exactly once across the runs: \(hits)")
    XCTAssertEqual(o.cache.entries().count, 2)
    XCTAssertEqual(Set(results.compactMap { $0.map(outputs) }).count, 1)
  }
}
