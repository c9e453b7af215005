import Datasets
import Support
import Tensors
import Training
import XCTest

@testable import Experiment

/// One seed tree: every random draw of a run comes from `RandomStream(seed)` split by stage and
/// purpose. The same seed reproduces every artifact; another seed changes every stochastic one.
final class SeedTreeTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-seed-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

  func run(seed: Int, cache: String, extra: [String] = []) throws -> Runner.Result {
    let overrides = ["seed=\(seed)", "data.train=24", "data.val=8", "train.epochs=1", "train.batch_size=8"] + extra
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path, overrides: overrides)
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent(cache))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    return try Runner().run(e, options: o)
  }

  func artifact(_ r: Runner.Result, _ name: String) -> String? { r.manifest.artifacts[name]?.hash }

  func testSameSeedSameArtifactsOtherSeedChangesEveryStochasticOne() throws {
    let a = try run(seed: 1, cache: "a")
    let b = try run(seed: 1, cache: "b")
    XCTAssertEqual(a.manifest.artifacts, b.manifest.artifacts, "same seed, two empty caches: identical artifacts")
    let c = try run(seed: 2, cache: "c")
    XCTAssertNotEqual(artifact(a, "dataset"), artifact(c, "dataset"), "the generated data depend on the seed")
    XCTAssertEqual(artifact(a, "model"), artifact(c, "model"), "the untrained graph has no randomness")
    XCTAssertNotEqual(artifact(a, "model:trained"), artifact(c, "model:trained"))

    // Same data file, other seed: the data artifact is identical, training is not (init and order).
    let file = a.runDirectory.appendingPathComponent("stages/data/dataset.h5").path
    let d = try run(seed: 1, cache: "d", extra: ["data.source=file", "data.path=\(file)"])
    let e = try run(seed: 2, cache: "e", extra: ["data.source=file", "data.path=\(file)"])
    XCTAssertEqual(artifact(d, "dataset"), artifact(e, "dataset"))
    XCTAssertNotEqual(artifact(d, "model:trained"), artifact(e, "model:trained"))
  }

  /// The streams a stage hands out differ by seed for each purpose the train stage uses.
  func testStageStreamsDependOnSeedAndPurpose() throws {
    func draws(_ seed: UInt64, _ purpose: String) -> [UInt32] {
      var s = RandomStream(seed: seed).split("train").split(purpose)
      return (0..<4).map { _ in s.next() }
    }
    for purpose in ["init", "data", "pk"] {
      XCTAssertNotEqual(draws(1, purpose), draws(2, purpose), purpose)
      XCTAssertEqual(draws(1, purpose), draws(1, purpose), purpose)
    }
    XCTAssertNotEqual(draws(1, "init"), draws(1, "data"))
    // the loader's visiting order follows its stream
    let path = scratch.appendingPathComponent("d.h5").path
    var c = ShapesConfig()
    c.trainCount = 32; c.valCount = 0; c.testCount = 0
    try ShapesGenerator(c).write(to: path)
    let one = try DataLoader(path: path, split: "train", random: RandomStream(seed: 1).split("train").split("data"))
    let two = try DataLoader(path: path, split: "train", random: RandomStream(seed: 2).split("train").split("data"))
    XCTAssertNotEqual(one.order(epoch: 0), two.order(epoch: 0))
  }
}
