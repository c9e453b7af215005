import Foundation
import XCTest

@testable import Training

/// The training loop: learning, bit-identical resume, NaN diagnosis, early stopping, history
/// files and progress output.
final class TrainerTests: XCTestCase {
  typealias TinyTrainer = Trainer<TinyConvNet, SyntheticImages>

  let train = SyntheticImages(count: 48, seed: 1)
  let validation = SyntheticImages(count: 24, seed: 2)

  static func objective(_ logits: Variable, _ batch: ImageBatch) -> LossTerms {
    LossTerms([
      ("ce", CrossEntropyLoss(labelSmoothing: 0.05)(logits, labels: batch.labels)),
      ("l2", logits.squared().mean() * 0.001),
    ])
  }

  func configuration(
    epochs: Int, rule: Optimizer.Rule = .sgd(SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-3)),
    learningRate: Double = 0.1
  ) -> TrainingConfiguration {
    TrainingConfiguration(
      epochs: epochs, random: RandomStream(seed: 7), learningRate: learningRate,
      schedule: .cosine(warmupEpochs: 1, totalEpochs: Double(epochs), warmupStartFactor: 0.2, minFactor: 0.01),
      optimizer: rule, gradientClipNorm: 5)
  }

  func makeTrainer(
    _ model: TinyConvNet, _ config: TrainingConfiguration, directory: URL?,
    callbacks: [TrainingCallback] = [], metric: ValidationMetric<TinyConvNet>? = nil
  ) throws -> TinyTrainer {
    try Trainer(
      model: model, configuration: config, trainingData: train, validationData: validation,
      objective: Self.objective, metric: metric, directory: directory, callbacks: callbacks)
  }

  func testLossDecreasesAndValidationAccuracyRises() throws {
    let model = TinyConvNet(seed: 3)
    let accuracy = ValidationMetric<TinyConvNet>(name: "accuracy", higherIsBetter: true) { m in
      var correct = 0
      for i in 0..<self.validation.batchCount(epoch: 0) {
        let b = try self.validation.batch(i, epoch: 0, stream: RandomStream(seed: 0))
        let pred = m.forward(b.input, training: false).value.argmax(axis: 1).scalars
        correct += zip(pred, b.labels).filter { Int($0) == $1 }.count
      }
      return Double(correct) / Double(self.validation.images.count)
    }
    let trainer = try makeTrainer(model, configuration(epochs: 20, learningRate: 0.2), directory: nil, metric: accuracy)
    XCTAssertEqual(try trainer.fit(), .completed)
    let h = trainer.state.history
    XCTAssertEqual(h.count, 20)
    XCTAssertLessThan(h[19].train["loss"] ?? 9, 0.3 * (h[0].train["loss"] ?? 0), "\(h.map { $0.train["loss"] ?? 0 })")
    XCTAssertNotNil(h[19].validation["ce"])
    XCTAssertGreaterThanOrEqual(h[19].metric ?? 0, 0.9, "\(h.map { $0.metric ?? 0 })")
  }

  /// An uninterrupted run of 4 epochs against one stopped after epoch 2, all objects dropped,
  /// and resumed from the checkpoint directory by a fresh trainer around a model initialised
  /// differently: the final weights, BN statistics and history losses are bit-identical.
  func testResumeAfterInterruptionIsBitIdentical() throws {
    for rule in [
      Optimizer.Rule.sgd(SGD(momentum: 0.9, nesterov: true, weightDecay: 1e-3)), .adam(.adamW(weightDecay: 0.05)),
    ] {
      let config = configuration(
        epochs: 4, rule: rule, learningRate: rule == .adam(.adamW(weightDecay: 0.05)) ? 0.01 : 0.1)
      let straight = TinyConvNet(seed: 3)
      try makeTrainer(straight, config, directory: try temporaryDirectory(self)).fit()
      let expected = straight.bits

      let dir = try temporaryDirectory(self)
      do {
        let stopper = ClosureCallback { event, state in
          if case .epochEnd(let e) = event, e == 1 { state.stopRequested = true }
        }
        let reason = try makeTrainer(TinyConvNet(seed: 3), config, directory: dir, callbacks: [stopper]).fit()
        XCTAssertEqual(reason, .requested)
        XCTAssertEqual(try Checkpoint.read(dir.appendingPathComponent(Checkpoint.lastFileName)).epoch, 2)
      }
      let resumedModel = TinyConvNet(seed: 99)
      XCTAssertNotEqual(resumedModel.bits, expected)
      let resumed = try makeTrainer(resumedModel, config, directory: dir)
      XCTAssertEqual(try resumed.fit(resume: true), .completed)
      XCTAssertEqual(resumedModel.bits, expected, "resumed weights differ from the uninterrupted run (\(rule))")
      XCTAssertEqual(resumed.state.history.count, 4)
    }
  }

  func testNonFiniteLossNamesTheTermAndKeepsLastCheckpoint() throws {
    let dir = try temporaryDirectory(self)
    var calls = 0
    let trainer = try Trainer(
      model: TinyConvNet(seed: 3), configuration: configuration(epochs: 3), trainingData: train,
      objective: { logits, batch in
        calls += 1
        let bad: Float = calls == 6 + 3 ? -1 : 1  // epoch 1 (6 batches per epoch), batch 2
        return LossTerms([
          ("ce", CrossEntropyLoss()(logits, labels: batch.labels)),
          ("exploding", Variable(Tensor(scalar: bad)).log()),
        ])
      }, directory: dir)
    XCTAssertThrowsError(try trainer.fit()) { error in
      XCTAssertEqual(
        error as? TrainingError,
        .nonFiniteLoss(
          term: "exploding", epoch: 1, batch: 2,
          lastGoodCheckpoint: dir.appendingPathComponent(Checkpoint.lastFileName).path))
      XCTAssertTrue("\(error)".contains("'exploding'"))
    }
    XCTAssertEqual(try Checkpoint.read(dir.appendingPathComponent(Checkpoint.lastFileName)).epoch, 1)
  }

  func testNonFiniteGradientNamesTheParameter() throws {
    // √probe at probe = 0 has an infinite derivative; times 0 the loss stays finite but the
    // gradient of "probe" is NaN.
    final class Probed: TrainableModel {
      let inner = TinyConvNet(seed: 3)
      let probe = Variable(Tensor(zeros: [1]), requiresGrad: true)
      var parameters: [(name: String, variable: Variable)] { inner.parameters + [("probe", probe)] }
      func forward(_ input: Variable, training: Bool) -> Variable {
        inner.forward(input, training: training) + probe.sqrt() * 0
      }
    }
    // with clipping (the norm detects it) and without (the scan does)
    for clip: Float? in [5, nil] {
      var settings = configuration(epochs: 1)
      settings.gradientClipNorm = clip
      let trainer = try Trainer(
        model: Probed(), configuration: settings, trainingData: train,
        objective: { logits, batch in LossTerms("ce", CrossEntropyLoss()(logits, labels: batch.labels)) })
      XCTAssertThrowsError(try trainer.fit()) { error in
        XCTAssertEqual(
          error as? TrainingError, .nonFiniteGradient(parameter: "probe", epoch: 0, batch: 0, lastGoodCheckpoint: nil))
      }
    }
  }

  func testObjectiveWithoutParametersIsAnError() throws {
    let trainer = try Trainer(
      model: TinyConvNet(seed: 3), configuration: configuration(epochs: 1), trainingData: train,
      objective: { _, _ in LossTerms([]) })
    XCTAssertThrowsError(try trainer.fit()) { error in
      guard case .invalidConfiguration(let message)? = error as? TrainingError else { return XCTFail("\(error)") }
      XCTAssertTrue(message.contains("does not depend on any parameter"), message)
    }
  }

  func testEarlyStoppingKeepsBestCheckpointSeparately() throws {
    let dir = try temporaryDirectory(self)
    var values = [0.5, 0.7, 0.6, 0.65, 0.9, 0.95][...]
    let metric = ValidationMetric<TinyConvNet>(name: "score", higherIsBetter: true) { _ in values.popFirst() ?? 0 }
    var config = configuration(epochs: 6)
    config.earlyStopping = EarlyStopping(patience: 2)
    let trainer = try makeTrainer(TinyConvNet(seed: 3), config, directory: dir, metric: metric)
    XCTAssertEqual(try trainer.fit(), .earlyStopped(bestEpoch: 2))
    let best = try Checkpoint.read(dir.appendingPathComponent(Checkpoint.bestFileName))
    let last = try Checkpoint.read(dir.appendingPathComponent(Checkpoint.lastFileName))
    XCTAssertEqual(best.epoch, 2)
    XCTAssertEqual(last.epoch, 4)
    XCTAssertNotEqual(best.parameters, last.parameters)
    XCTAssertEqual(last.earlyStopping.best, 0.7)
    // Resuming an early-stopped run does not train further.
    let again = try makeTrainer(TinyConvNet(seed: 3), config, directory: dir, metric: metric)
    XCTAssertEqual(try again.fit(), .earlyStopped(bestEpoch: 2))
    XCTAssertEqual(try Checkpoint.read(dir.appendingPathComponent(Checkpoint.lastFileName)).epoch, 4)
  }

  func testHistoryFilesAndNoTemporaryFilesLeft() throws {
    let dir = try temporaryDirectory(self)
    let trainer = try makeTrainer(TinyConvNet(seed: 3), configuration(epochs: 2), directory: dir)
    try trainer.fit()
    let csv = try String(contentsOf: dir.appendingPathComponent("history.csv"), encoding: .utf8).split(separator: "\n")
    XCTAssertEqual(csv.count, 3)
    XCTAssertEqual(
      csv[0], "epoch,learning_rate,images_per_second,seconds,train_ce,train_l2,train_loss,val_ce,val_l2,val_loss")
    XCTAssertTrue(csv[2].hasPrefix("2,"))
    let json = try JSONDecoder().decode(
      [EpochRecord].self, from: Data(contentsOf: dir.appendingPathComponent("history.json")))
    XCTAssertEqual(json, trainer.state.history)
    let loss = json[1].train["loss"] ?? 0, parts = (json[1].train["ce"] ?? 0) + (json[1].train["l2"] ?? 0)
    XCTAssertEqual(loss, parts, accuracy: 1e-5)
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    XCTAssertEqual(files, [Checkpoint.bestFileName, Checkpoint.lastFileName, "history.csv", "history.json"])
  }

  func testResumeExtendsRunAndRefusesDifferentSettings() throws {
    let dir = try temporaryDirectory(self)
    var config = configuration(epochs: 1)
    config.schedule = .constant
    try makeTrainer(TinyConvNet(seed: 3), config, directory: dir).fit()
    // The same settings with more epochs continue from epoch 1.
    config.epochs = 2
    let more = try makeTrainer(TinyConvNet(seed: 3), config, directory: dir)
    try more.fit()
    XCTAssertEqual(more.state.history.map(\.epoch), [1, 2])
    // Other settings would silently change the trajectory: refused.
    config.learningRate = 0.5
    config.epochs = 3
    XCTAssertThrowsError(try makeTrainer(TinyConvNet(seed: 3), config, directory: dir).fit()) { error in
      guard case .checkpoint(let message)? = error as? TrainingError else { return XCTFail("\(error)") }
      XCTAssertTrue(message.contains("different training settings"), message)
    }
  }

  func testProgressLinesAndBar() throws {
    var lines = ""
    let reporter = ProgressReporter(mode: .lines) { lines += $0 }
    try makeTrainer(TinyConvNet(seed: 3), configuration(epochs: 2), directory: nil, callbacks: [reporter]).fit()
    let rows = lines.split(separator: "\n")
    XCTAssertEqual(rows.count, 2)
    XCTAssertTrue(rows[0].hasPrefix("epoch 1/2 loss "), String(rows[0]))
    XCTAssertTrue(rows[1].contains(" val loss "), String(rows[1]))
    XCTAssertTrue(rows[1].contains(" img/s "))

    var bar = ""
    let live = ProgressReporter(mode: .bar, redrawInterval: 0) { bar += $0 }
    try makeTrainer(TinyConvNet(seed: 3), configuration(epochs: 1), directory: nil, callbacks: [live]).fit()
    XCTAssertEqual(bar.components(separatedBy: "\r").count - 1, 6 + 1)  // one redraw per batch + the summary
    XCTAssertTrue(bar.contains("6/6"))
    XCTAssertTrue(bar.contains("ETA"))
    XCTAssertTrue(bar.hasSuffix("\n"))
    // Throttled: within one long interval only the epoch's last batch is drawn.
    var slow = ""
    let throttled = ProgressReporter(mode: .bar, redrawInterval: 3600) { slow += $0 }
    try makeTrainer(TinyConvNet(seed: 3), configuration(epochs: 1), directory: nil, callbacks: [throttled]).fit()
    XCTAssertEqual(slow.components(separatedBy: "\r").count - 1, 1 + 1 + 1)  // first batch, last batch, summary
  }

  func testStoredTensorIsBitExact() throws {
    let t = Tensor<Float>(shape: [5], scalars: [-0.0, .leastNonzeroMagnitude, .greatestFiniteMagnitude, .nan, 0.1])
    let back = try StoredTensor(name: "t", t).tensor()
    XCTAssertEqual(back.scalars.map(\.bitPattern), t.scalars.map(\.bitPattern))
    XCTAssertThrowsError(try StoredTensor(name: "t", t).with(shape: [6]).tensor())
  }
}

extension StoredTensor {
  func with(shape: [Int]) -> StoredTensor {
    var copy = self
    copy.shape = shape
    return copy
  }
}
