import Compression
import Foundation
import Graph
import GraphHDF5
import GraphTraining
import RunFormat
import Support
import Training

/// `compress`: structured channel pruning of the trained model (`compress.prune`), with the
/// Compression library's dependency groups, criterion and target, fine-tuned through the
/// resumable training loop (after each gradual step and after the last), then prepared for
/// deployment by the train stage's passes (BatchNorm folded when `fold_bn`).
///
/// Outputs: `model.json` + `weights.h5` (the `model:compressed` artifact the
/// `evaluate-compressed` stage scores), `model.deploy.json` (`model:compressed-deploy`, what
/// the quantize stage then starts from) and `compression.json` (Compression's
/// ``CompressionSummary``: channels, parameters, MACs and activation bytes per layer before and
/// after, and the totals).
public struct CompressStage: Stage {
  public let name = RunLayout.Stage.compress
  public let reads: [ArtifactName] = [.dataset, .trainedModel]
  public let writes = [
    ArtifactOutput(.compressedModel, [RunLayout.File.model, RunLayout.File.weights]),
    ArtifactOutput(.compressedDeployModel, [RunLayout.File.deployModel]),
    ArtifactOutput(.compression, [RunLayout.File.compression]),
  ]
  public init() {}

  public func settings(_ e: ResolvedExperiment) -> JSONValue { e.document["compress"] ?? .null }

  public func run(_ context: StageContext) throws {
    guard let settings = context.settings.compress?.prune.library else { return }
    if let problem = settings.problems.first {
      throw StageError.failed("compress.prune.\(problem)")
    }
    let trained = try ModelGraph.read(context.artifact(.trainedModel))
    let compressor = Compressor(settings: settings)
    let original = try compressor.channels(of: trained)
    let ratios = try compressor.ratios(for: trained)
    let dataPath = try context.artifact(.dataset).path
    let loss = settings.criterion == .taylor ? try taylorLoss(trained, dataPath: dataPath, context: context) : nil
    var graph = trained
    let steps = settings.fractions
    for (i, step) in steps.enumerated() {
      try context.checkCancellation()
      graph = try compressor.prune(graph, ratios: ratios, fraction: step.fraction, original: original, loss: loss)
      let epochs = i == steps.count - 1 ? settings.fineTuneEpochs : settings.frequency
      context.progress.line(
        "  pruning step \(i + 1)/\(steps.count) (\(Int((step.fraction * 100).rounded())) % of the target): \(graph.parameters.values.reduce(0) { $0 + $1.shape.reduce(1, *) }) parameters; fine-tuning \(epochs) epochs"
      )
      if epochs > 0 {
        graph = try fineTune(graph, epochs: epochs, step: i, dataPath: dataPath, context: context)
      }
    }
    let (deploy, _) =
      settings.foldBatchNorm
      ? try TrainStage.deployPasses.run(graph) : try PassPipeline([EliminateDeadNodes.self]).run(graph)
    let summary = try CompressionSummary(before: trained, after: graph, deployed: deploy)
    try AtomicWrite.writeJSON(graph, to: context.outputFile(RunLayout.File.model), snakeCase: false)
    try WeightFile.save(graph, to: context.outputFile(RunLayout.File.weights).path)
    try AtomicWrite.writeJSON(deploy, to: context.outputFile(RunLayout.File.deployModel), snakeCase: false)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicWrite.write(try encoder.encode(summary), to: context.outputFile(RunLayout.File.compression))
  }

  /// The task loss of training batch `i` (the train section's objective, inference-mode
  /// BatchNorm, no augmentation), for the Taylor criterion's gradients (Molchanov et al. 2019).
  func taylorLoss(_ graph: ModelGraph, dataPath: String, context: StageContext) throws -> Compressor.Loss {
    var s = context.settings
    (s.train.augment.flip, s.train.augment.scale, s.train.augment.translate) = (0, 0, 0)
    (s.train.augment.brightness, s.train.augment.contrast) = (0, 0)
    let inputs = try TrainingInputs(graph: graph, dataPath: dataPath, settings: s, random: context.rng.split("taylor"))
    guard inputs.identityClasses == nil, let input = graph.inputs.first?.name else {
      throw StageError.failed(
        "compress.prune.criterion: taylor needs a loss without the identity head (detection or classification data); use l1, l2 or bn_scale for identity data"
      )
    }
    let stream = context.rng.split("taylor")
    return { executor, i in
      let batch = try inputs.train.batch(i % max(1, inputs.train.batchCount(epoch: 0)), epoch: 0, stream: stream)
      return inputs.objective(executor.forward(inputs: [input: batch.input], training: false), batch).total
    }
  }

  /// `epochs` of fine-tuning of `graph` with the train section's loss, optimizer and schedule
  /// shape, checkpointed in this stage's work folder (one folder per pruning step).
  func fineTune(
    _ graph: ModelGraph, epochs: Int, step: Int, dataPath: String, context: StageContext
  ) throws -> ModelGraph {
    let s = context.settings
    let random = context.rng.split("step-\(step)")
    let executor = try GraphExecutor(graph: graph, random: random.split("init"))
    let inputs = try TrainingInputs(graph: graph, dataPath: dataPath, settings: s, random: random)
    let model = try GraphModel(executor: executor, identityClasses: inputs.identityClasses, random: random)
    var configuration = s.train.configuration(random: random)
    configuration.epochs = epochs
    configuration.schedule = s.train.schedule.schedule(epochs: epochs)
    configuration.earlyStopping = nil
    let cancel = Cancellation.trainingCallback
    let trainer = try Trainer(
      model: model, configuration: configuration, trainingData: inputs.train, validationData: inputs.validation,
      objective: inputs.objective, directory: context.work.appendingPathComponent("step-\(step)"),
      callbacks: [Training.ProgressReporter(), cancel])
    if case .requested = try trainer.fit(resume: true) { throw StageError.interrupted }
    return executor.exportGraph()
  }
}
