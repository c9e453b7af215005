import Foundation
import Graph
import RunFormat
import Support
import Training
import XCTest

@testable import Experiment

/// `train.sparsity` trains with network slimming's λ·Σ|γ| as a `sparsity` loss term.
final class TrainSparsityTests: XCTestCase {
  func testTheTrainStageAddsTheSparsityTerm() throws {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-sparsity-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    defer { try? FileManager.default.removeItem(at: scratch) }
    let lambda = 0.01
    let e = try ExperimentLoader.load(
      path: RunnerTests.root.appendingPathComponent("Experiments/quick.json").path,
      overrides: ["data.train=16", "data.val=8", "train.epochs=1", "train.batch_size=8", "train.sparsity=\(lambda)"])
    XCTAssertEqual(e.settings.train.sparsity, lambda)
    var o = Runner.Options()
    o.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.reportsRoot = scratch.appendingPathComponent("Reports")
    o.progress = ProgressReporter(isTerminal: false, write: { _ in })
    let r = try Runner().run(e, options: o)
    let train = r.runDirectory.appendingPathComponent("stages/train")
    let history = try JSONDecoder().decode(
      TrainingHistory.self, from: Data(contentsOf: train.appendingPathComponent("history.json")))
    let epoch = try XCTUnwrap(history.epochs.first)
    let term = try XCTUnwrap(epoch.train["sparsity"])
    // two steps of Adam (lr 0.003) move each γ (initially 1) by at most ~0.006, so the term's
    // mean over the epoch is λ·Σ|γ| of the trained model within 1 %
    let trained = try ModelGraph.read(train.appendingPathComponent("model.json"))
    let gammas = trained.nodes.filter { $0.op == .batchNorm }.flatMap {
      trained.parameters["\($0.name).weight"]?.value?.scalars ?? []
    }
    XCTAssertFalse(gammas.isEmpty)
    XCTAssertEqual(term, lambda * gammas.reduce(0) { $0 + Double(abs($1)) }, accuracy: 0.01 * term)
    XCTAssertEqual(
      epoch.validationLoss["sparsity"] ?? 0, lambda * gammas.reduce(0) { $0 + Double(abs($1)) }, accuracy: 1e-4 * term)
  }
}
