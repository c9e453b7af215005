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
/// after, the totals, and the ratio asked of each group). With `ratios: "sensitivity"` the
/// ratios are chosen from the sensitivity stage's curves for the budget.
public struct CompressStage: Stage {
  public let name = RunLayout.Stage.compress
  /// Whether per-group ratios come from the sensitivity stage's curves (`ratios: "sensitivity"`).
  public let usesSensitivity: Bool
  public var reads: [ArtifactName] { [.dataset, .trainedModel] + (usesSensitivity ? [.sensitivity] : []) }
  public let writes = [
    ArtifactOutput(.compressedModel, [RunLayout.File.model, RunLayout.File.weights]),
    ArtifactOutput(.compressedDeployModel, [RunLayout.File.deployModel]),
    ArtifactOutput(.compression, [RunLayout.File.compression]),
  ]
  /// A compress stage; `usesSensitivity` adds the sensitivity artifact to its inputs.
  public init(usesSensitivity: Bool = false) { self.usesSensitivity = usesSensitivity }

  public func settings(_ e: ResolvedExperiment) -> JSONValue { e.document["compress"] ?? .null }

  public func run(_ context: StageContext) throws {
    guard let prune = context.settings.compress?.prune else { return }
    if let problem = (prune.problems + (context.settings.compress?.lowRank?.problems ?? [])).first {
      throw StageError.failed(problem)
    }
    let settings = prune.library
    let trained = try ModelGraph.read(context.artifact(.trainedModel))
    let compressor = Compressor(settings: settings)
    let original = try compressor.channels(of: trained)
    let table =
      usesSensitivity
      ? try JSONDecoder().decode(SensitivityRecord.self, from: Data(contentsOf: context.artifact(.sensitivity))).table
      : nil
    let ratios = try compressor.ratios(for: trained, sensitivity: table)
    if table != nil {
      let chosen = ratios.filter { $0.value > 0 }.sorted { $0.key < $1.key }
      context.progress.line(
        "  ratios from the sensitivity curves: \(chosen.map { "\($0.key) \($0.value)" }.joined(separator: ", "))")
    }
    let dataPath = try context.artifact(.dataset).path
    let loss =
      settings.criterion == .taylor ? try PruningLoss.taylor(trained, dataPath: dataPath, context: context) : nil
    var graph = trained
    let steps = settings.fractions
    for (i, step) in steps.enumerated() {
      try context.checkCancellation()
      graph = try compressor.prune(graph, ratios: ratios, fraction: step.fraction, original: original, loss: loss)
      if i == steps.count - 1, let lowRank = context.settings.compress?.lowRank {
        graph = try factorize(graph, lowRank, context: context)
      }
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
    let summary = try CompressionSummary(before: trained, after: graph, deployed: deploy, ratios: ratios)
    try AtomicWrite.writeJSON(graph, to: context.outputFile(RunLayout.File.model), snakeCase: false)
    try WeightFile.save(graph, to: context.outputFile(RunLayout.File.weights).path)
    try AtomicWrite.writeJSON(deploy, to: context.outputFile(RunLayout.File.deployModel), snakeCase: false)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    try AtomicWrite.write(try encoder.encode(summary), to: context.outputFile(RunLayout.File.compression))
  }

  /// `graph` with its k×k convolutions factorised at the ranks `section` asks for (Graph's
  /// ``LowRankPlanner``: a MAC budget, else an energy threshold).
  func factorize(_ graph: ModelGraph, _ section: CompressSettings.LowRankSection, context: StageContext) throws
    -> ModelGraph
  {
    let planner = try LowRankPlanner(graph: graph, exclude: Set(section.exclude))
    let ranks = try section.maxMacs.map { try planner.ranks(maxMACs: $0) } ?? planner.ranks(energy: section.energy ?? 1)
    let layers = planner.layers.compactMap { l in ranks[l.node].map { "\(l.node) \(min(l.filters, l.columns))→\($0)" } }
    context.progress.line(
      "  low-rank: \(layers.isEmpty ? "no convolution saves MACs" : layers.joined(separator: ", ")); MACs \(planner.totalMACs) → \(planner.macs(ranks))"
    )
    return try LowRankFactorization.factorize(graph, ranks: ranks)
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
