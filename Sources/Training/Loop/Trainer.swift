import Autograd
import Foundation

/// The training loop: epochs of a training phase and an optional validation phase, events to
/// callbacks, a history of every loss term, an atomic checkpoint after every epoch, resume,
/// NaN/Inf diagnosis and early stopping.
///
/// Reproducibility: the data of epoch `e` come from `configuration.random.split("data")
/// .split(index: e)`, the learning rate is a function of the position in training, and the
/// checkpoint holds weights, BN statistics, optimizer state, the model's random streams,
/// history and early-stopping state. Resuming from the checkpoint of epoch `k` therefore gives
/// bit-identical weights to a run that was never interrupted.
public final class Trainer<Model: TrainableModel, Source: BatchSource> where Source.Batch.Input == Model.Input {
  /// Maps the model's output and the batch (with its targets) to the weighted loss terms.
  public typealias Objective = (Model.Output, Source.Batch) -> LossTerms

  /// The model being trained (its parameters are updated in place).
  public let model: Model
  /// The settings.
  public let configuration: TrainingConfiguration
  let trainingData: Source
  let validationData: Source?
  let objective: Objective
  let metric: ValidationMetric<Model>?
  /// Where checkpoints and the history go; nil keeps everything in memory.
  public let directory: URL?
  let callbacks: [TrainingCallback]

  /// The optimizer, with its state.
  public internal(set) var optimizer: Optimizer
  /// The observable state; `history` holds one record per finished epoch.
  public internal(set) var state = TrainingState()
  var earlyStoppingState = EarlyStoppingState()
  var completedEpochs = 0

  /// Creates a trainer.
  /// - Parameters:
  ///   - objective: the loss of a batch (called in both phases; gradients are off in validation).
  ///   - metric: an optional validation metric; early stopping monitors it, or the validation
  ///     loss (lower is better) without it, or the training loss without validation data.
  ///   - directory: the run's training folder (checkpoints, `history.csv`, `history.json`).
  /// - Throws: ``TrainingError/invalidConfiguration(_:)`` for invalid settings or duplicate
  ///   parameter names.
  public init(
    model: Model, configuration: TrainingConfiguration, trainingData: Source, validationData: Source? = nil,
    objective: @escaping Objective, metric: ValidationMetric<Model>? = nil, directory: URL? = nil,
    callbacks: [TrainingCallback] = []
  ) throws {
    let issues = configuration.validate()
    guard issues.isEmpty else { throw TrainingError.invalidConfiguration(issues.joined(separator: "; ")) }
    let names = model.parameters.map(\.name)
    guard Set(names).count == names.count else {
      throw TrainingError.invalidConfiguration(
        "parameter names must be unique (they key checkpoints and optimizer state)")
    }
    self.model = model
    self.configuration = configuration
    self.trainingData = trainingData
    self.validationData = validationData
    self.objective = objective
    self.metric = metric
    self.directory = directory
    self.callbacks = callbacks
    self.optimizer = Optimizer(configuration.optimizer)
    state.epochs = configuration.epochs
  }

  /// Trains until all epochs ran, early stopping triggers or a callback requests a stop.
  /// - Parameter resume: continue from `checkpoint-last.json` in ``directory`` when it exists.
  /// - Returns: why training ended.
  /// - Throws: ``TrainingError`` for a NaN/Inf (the last good checkpoint stays on disk), I/O
  ///   and checkpoint problems; errors thrown by the data source, metric or callbacks.
  @discardableResult
  public func fit(resume: Bool = true) throws -> StopReason {
    if resume, let url = lastCheckpointURL, FileManager.default.fileExists(atPath: url.path) {
      try restore(from: try Checkpoint.read(url))
    }
    let parameters = TrainableParameter.groups(model.parameters, decayAll: configuration.decayAllParameters)
    let dataStream = configuration.random.split("data")
    try emit(.fitStart)
    var reason = StopReason.completed
    if let rule = configuration.earlyStopping, earlyStoppingState.epochsWithoutImprovement >= rule.patience {
      // Resuming a run that had already stopped early: it stays stopped.
      reason = .earlyStopped(bestEpoch: earlyStoppingState.bestEpoch)
      try emit(.fitEnd(reason))
      return reason
    }
    for epoch in completedEpochs..<configuration.epochs {
      let start = Date()
      state.epoch = epoch
      try emit(.epochStart(epoch: epoch))
      let stream = dataStream.split(index: epoch)
      let train: [String: Double]
      do {
        train = try trainEpoch(epoch, parameters: parameters, stream: stream)
      } catch let error as TrainingError {
        if case .nonFiniteLoss = error { try emit(.fitEnd(.nonFinite(error.description))) }
        if case .nonFiniteGradient = error { try emit(.fitEnd(.nonFinite(error.description))) }
        throw error
      }
      let validation = try validate(epoch, stream: stream)
      let metricValue = try metric.map { m in try withoutGradients { try m.compute(model) } }
      let record = EpochRecord(
        epoch: epoch + 1, learningRate: state.learningRate, train: train, validation: validation, metric: metricValue,
        imagesPerSecond: state.imagesPerSecond, seconds: Date().timeIntervalSince(start))
      state.history.append(record)
      completedEpochs = epoch + 1
      let improved = updateEarlyStopping(record)
      try saveCheckpoints(best: improved)
      try emit(.epochEnd(epoch: epoch))
      if let rule = configuration.earlyStopping, earlyStoppingState.epochsWithoutImprovement >= rule.patience {
        reason = .earlyStopped(bestEpoch: earlyStoppingState.bestEpoch)
        break
      }
      if state.stopRequested && completedEpochs < configuration.epochs {
        reason = .requested
        break
      }
    }
    try emit(.fitEnd(reason))
    return reason
  }

  /// One training epoch; returns the sample-weighted mean of every loss term.
  func trainEpoch(_ epoch: Int, parameters: [TrainableParameter], stream: RandomStream) throws -> [String: Double] {
    let count = trainingData.batchCount(epoch: epoch)
    guard count > 0 else {
      throw TrainingError.invalidConfiguration(
        "the training data has no batches in epoch \(epoch); check the dataset split and the batch size")
    }
    state.batchCount = count
    var sums: [String: Double] = [:], samples = 0
    let clock = Date()
    var phases = PhaseClock()
    state.phaseSeconds = [:]
    for i in 0..<count {
      state.batch = i
      let batch = try trainingData.batch(i, epoch: epoch, stream: stream)
      phases.lap("data")
      let lr = configuration.schedule.learningRate(
        base: configuration.learningRate, at: Double(epoch) + Double(i) / Double(count))
      for p in parameters { p.variable.zeroGrad() }
      let termScalars: [String: Double]
      do {  // the step's graph is freed at the end of this scope, before the update
        let output = model.forward(batch.input, training: true)
        phases.lap("forward")
        let terms = objective(output, batch)
        try checkFinite(terms, epoch: epoch, batch: i)
        guard terms.total.requiresGrad else {
          throw TrainingError.invalidConfiguration(
            "the loss at epoch \(epoch), batch \(i) does not depend on any parameter (terms: \(terms.terms.map(\.name))); "
              + "check that the objective reads the model outputs it needs")
        }
        termScalars = terms.scalars
        phases.lap("loss")
        terms.total.backward()
      }
      phases.lap("backward")
      if let maxNorm = configuration.gradientClipNorm {
        // The clipping norm sums every gradient's squares in Double, where no square overflows:
        // it is finite exactly when every gradient is, so the separate scan runs only to name
        // the culprit (a non-finite norm leaves the gradients unscaled).
        let norm = GradientClipping.clip(parameters, maxNorm: maxNorm)
        if !norm.isFinite { try checkFinite(parameters, epoch: epoch, batch: i) }
      } else {
        try checkFinite(parameters, epoch: epoch, batch: i)
      }
      optimizer.step(parameters, learningRate: Float(lr))
      phases.lap("optimizer")
      for (k, v) in termScalars { sums[k, default: 0] += v * Double(batch.sampleCount) }
      samples += batch.sampleCount
      state.learningRate = lr
      state.runningTerms = sums.mapValues { $0 / Double(Swift.max(samples, 1)) }
      state.epochSeconds = Date().timeIntervalSince(clock)
      state.imagesPerSecond = Double(samples) / Swift.max(state.epochSeconds, 1e-9)
      state.phaseSeconds = phases.totals
      try emit(.trainBatchEnd(batch: i))
      phases.lap("callbacks")
    }
    return sums.mapValues { $0 / Double(Swift.max(samples, 1)) }
  }

  /// The validation phase (inference mode, no gradients); empty without validation data.
  func validate(_ epoch: Int, stream: RandomStream) throws -> [String: Double] {
    guard let source = validationData else { return [:] }
    let count = source.batchCount(epoch: epoch)
    var sums: [String: Double] = [:], samples = 0
    try withoutGradients {
      for i in 0..<count {
        let batch = try source.batch(i, epoch: epoch, stream: stream.split("validation"))
        let terms = objective(model.forward(batch.input, training: false), batch)
        for (k, v) in terms.scalars { sums[k, default: 0] += v * Double(batch.sampleCount) }
        samples += batch.sampleCount
        try emit(.validationBatchEnd(batch: i))
      }
    }
    return sums.mapValues { $0 / Double(Swift.max(samples, 1)) }
  }

  /// Updates early stopping from the monitored value; returns true if this epoch is the best.
  func updateEarlyStopping(_ record: EpochRecord) -> Bool {
    let (value, higher): (Double?, Bool) =
      record.metric.map { ($0, metric?.higherIsBetter ?? false) } ?? (
        (record.validation["loss"] ?? record.train["loss"]), false
      )
    guard let value, value.isFinite else { return false }
    return earlyStoppingState.update(
      value, epoch: record.epoch, higherIsBetter: higher,
      minDelta: configuration.earlyStopping?.minDelta ?? 0)
  }

  func emit(_ event: TrainingEvent) throws {
    for c in callbacks { try c.handle(event, state: &state) }
  }
}
