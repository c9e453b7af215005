import Autograd
import Compression
import Datasets
import Foundation
import Graph
import GraphHDF5
import GraphTraining
import RunFormat
import Support
import Training

/// `train`: trains the model on the data's training split with the experiment's optimizer,
/// schedule, loss and augmentation. Checkpoints go to the stage's work folder every epoch, so
/// an interrupted run resumes where it stopped (bit-identically; see `Trainer`). With
/// `train.sparsity` the loss gains network slimming's λ·Σ|γ| term (Compression's
/// ``NetworkSlimming``).
///
/// Outputs: `weights.h5` (HDF5 weight file with the model definition's hash), `model.json`
/// (the trained graph with parameter values), `history.json` and `history.csv`, and the
/// deployment graph `model.deploy.json` (``deployPasses``: BatchNorm folded into the
/// convolutions, what quantization and export start from) with its pass log
/// `deploy-passes.json`.
///
/// With `train.stop_after_epochs` k < `train.epochs` it trains k epochs of the `train.epochs`
/// schedule and keeps its checkpoint in the trajectory's cache folder (``TrainCheckpoints``);
/// a run of the same trajectory that goes further continues from there (``ContinuableStage``).
///
/// With `train.epochs` 0 (an imported ONNX model without a `train` section) nothing is trained:
/// the model's imported weights are written as the trained artifacts, so every later stage
/// reads `model:trained` and `model:deploy` the same way whether or not the model was trained
/// here.
public struct TrainStage: ContinuableStage {
  public let name = "train"
  public let reads: [ArtifactName] = [.dataset, .model]
  public let writes = [
    ArtifactOutput(.trainedModel, [RunLayout.File.model, RunLayout.File.weights]),
    ArtifactOutput(.deployModel, [RunLayout.File.deployModel]),
  ]

  /// Passes from the trained graph to the deployment graph: fold every BatchNorm that follows a
  /// convolution into it (inference semantics are unchanged up to float rounding), then drop
  /// what no output reads.
  static let deployPasses = PassPipeline([FoldBatchNorm.self, EliminateDeadNodes.self])
  public init() {}

  /// The `train` section; a `stop_after_epochs` that does not stop before `epochs` is dropped
  /// (the run is the full one, and shares its cache entry).
  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    guard case .object(var t)? = e.document["train"] else { return e.document["train"] ?? .null }
    if e.settings.train.trainedEpochs >= e.settings.train.epochs { t["stop_after_epochs"] = nil }
    return .object(t)
  }

  /// The `train` section without `stop_after_epochs`: runs that only stop at different epochs.
  public func trajectorySettings(_ e: ResolvedExperiment) -> JSONValue {
    guard case .object(var t)? = e.document["train"] else { return e.document["train"] ?? .null }
    t["stop_after_epochs"] = nil
    return .object(t)
  }

  public func run(_ context: StageContext) throws {
    let s = context.settings
    let dataPath = try context.artifact(.dataset).path
    let graph = try ModelGraph.read(context.artifact(.model))
    let executor = try GraphExecutor(graph: graph, random: context.rng.split("init"))
    if s.train.epochs > 0 {
      try fit(executor, graph: graph, dataPath: dataPath, context: context)
    } else {
      context.progress.line("  train.epochs is 0: the imported weights are the trained weights")
    }

    let trained = executor.exportGraph()
    try AtomicWrite.writeJSON(trained, to: context.outputFile(RunLayout.File.model), snakeCase: false)
    try WeightFile.save(
      trained, to: context.outputFile(RunLayout.File.weights).path,
      definition: s.model.onnx == nil ? try? ModelZoo.definition(s.model.zoo) : nil)
    if s.train.epochs > 0 { try Self.writeHistory(from: context.work, to: context.output) }
    let (deploy, log) = try Self.deployPasses.run(trained)
    try AtomicWrite.writeJSON(deploy, to: context.outputFile(RunLayout.File.deployModel), snakeCase: false)
    try AtomicWrite.writeJSON(log, to: context.outputFile("deploy-passes.json"), snakeCase: false)
  }

  /// Trains `executor`'s parameters (those of `graph`) on the experiment's data, resuming from
  /// the work folder's checkpoint.
  private func fit(_ executor: GraphExecutor, graph: ModelGraph, dataPath: String, context: StageContext) throws {
    let s = context.settings
    let inputs = try TrainingInputs(graph: graph, dataPath: dataPath, settings: s, random: context.rng)
    let model = try GraphModel(executor: executor, identityClasses: inputs.identityClasses, random: context.rng)
    let reporter = Training.ProgressReporter()
    let cancel = Cancellation.trainingCallback
    let objective = NetworkSlimming.objective(inputs.objective, executor: executor, lambda: Float(s.train.sparsity))
    let trainer = try Trainer(
      model: model, configuration: s.train.configuration(random: context.rng), trainingData: inputs.train,
      validationData: inputs.validation, objective: objective, directory: context.work,
      callbacks: [reporter, cancel])
    let target = s.train.trainedEpochs
    let store = context.checkpoints.map(TrainCheckpoints.init(folder:))
    if let start = try store?.seed(work: context.work, upTo: target) {
      context.progress.line("  continuing from the trajectory's checkpoint after epoch \(start)")
    }
    let reason = try trainer.fit(resume: true)
    if case .requested = reason { throw StageError.interrupted }
    let history = context.work.appendingPathComponent("history.json")
    if !FileManager.default.fileExists(atPath: history.path) {
      // a stored checkpoint already at the target: nothing trained, its history is the run's
      try MetricsHistory.write(trainer.state.history, to: context.work)
    }
    if target < s.train.epochs { try store?.keep(work: context.work, epoch: target) }
  }

  /// The training history, split in two: `history.json`/`history.csv` hold what the run computed
  /// (loss terms, lr, validation values) and are part of the artifact's hash; the full records
  /// with wall time and images/s go to `volatile/`, which is kept but not hashed (timing differs
  /// between two otherwise identical runs).
  static func writeHistory(from work: URL, to output: URL) throws {
    let src = work.appendingPathComponent("history.json")
    guard let data = FileManager.default.contents(atPath: src.path) else { return }
    let volatile = output.appendingPathComponent(RunLayout.volatileFolder)
    try FileSystem.createFolder(volatile, "the stage's volatile folder")
    try AtomicWrite.write(data, to: volatile.appendingPathComponent(RunLayout.File.history))
    let timing: Set<String> = ["imagesPerSecond", "seconds"]
    let records = (try JSONValue.parse(data, file: src.path).arrayValue ?? []).map { r -> JSONValue in
      guard case .object(var o) = r else { return r }
      for k in timing { o[k] = nil }
      return .object(o)
    }
    try AtomicWrite.writeJSON(.array(records), to: output.appendingPathComponent(RunLayout.File.history))
    if let csv = try? String(contentsOf: work.appendingPathComponent("history.csv"), encoding: .utf8) {
      try AtomicWrite.write(csv, to: volatile.appendingPathComponent("history.csv"))
      let lines = csv.split(separator: "\n", omittingEmptySubsequences: true).map {
        $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      }
      if let header = lines.first {
        let keep = header.indices.filter { !["images_per_second", "seconds"].contains(header[$0]) }
        let kept = lines.map { row in keep.map { $0 < row.count ? row[$0] : "" }.joined(separator: ",") }
        try AtomicWrite.write(kept.joined(separator: "\n") + "\n", to: output.appendingPathComponent("history.csv"))
      }
    }
  }

  /// The loss: YOLO terms for detection heads, CE + lifted structured for face descriptors.
  static func objective(graph: ModelGraph, settings s: ExperimentSettings, identity: Bool) throws -> (
    GraphModel.Output, LoaderBatch
  ) -> LossTerms {
    let l = s.train.loss
    if identity {
      guard let d = graph.outputs.first(where: { $0.role == .descriptor }) else {
        throw StageError.failed(
          "model \(graph.name) has no descriptor output, so it cannot be trained on identity data")
      }
      let loss = FaceDescriptorLoss(
        crossEntropyWeight: Float(l.ceWeight), liftedWeight: Float(l.liftedWeight),
        margin: Float(l.liftedMargin), labelSmoothing: Float(l.labelSmoothing))
      return { out, batch in
        guard let e = out[d.name], let logits = out[GraphModel.logitsKey] else { return LossTerms([]) }
        return loss(logits: logits, embeddings: e.reshaped([e.shape[0], -1]), labels: batch.identities)
      }
    }
    let heads = graph.outputs.filter { $0.role == .yolo }
    guard !heads.isEmpty, let input = graph.inputs.first?.shape, input.count == 4 else {
      throw StageError.failed("model \(graph.name) has no YOLO head, so it cannot be trained on detection data")
    }
    let losses: [YOLOLoss] = heads.map { h in
      var y = YOLOLoss(
        anchors: h.anchors ?? [],
        classCount: h.numClasses ?? 1, inputWidth: input[3], inputHeight: input[2])
      let focal = YOLOLoss.BinaryTerm.focal(gamma: Float(l.focalGamma), alpha: Float(l.focalAlpha))
      switch l.box {
      case .giou: y.box = .giou
      case .mse: y.box = .mseOffsets
      }
      switch l.objectness {
      case .bce: y.objectness = .bce
      case .focal: y.objectness = focal
      }
      switch l.classification {
      case .ce: y.classification = .crossEntropy
      case .bce: y.classification = .binary(.bce)
      case .focal: y.classification = .binary(focal)
      }
      y.boxWeight = Float(l.boxWeight); y.objectnessWeight = Float(l.objectnessWeight);
      y.classWeight = Float(l.classWeight)
      y.ignoreThreshold = l.ignoreIou > 0 ? Float(l.ignoreIou) : nil
      y.anchorThreshold = l.anchorIou > 0 ? Float(l.anchorIou) : nil
      return y
    }
    let detection = YOLODetectionLoss(heads: losses)
    return { out, batch in
      let predictions = heads.compactMap { out[$0.name] }
      let targets = batch.boxes
      return detection(predictions, targets: targets)
    }
  }
}
