import Autograd
import Datasets
import Foundation
import Graph
import Support
import Training

/// `train`: trains the model on the data's training split with the experiment's optimizer,
/// schedule, loss and augmentation. Checkpoints go to the stage's work folder every epoch, so
/// an interrupted run resumes where it stopped (bit-identically; see `Trainer`).
///
/// Outputs: `weights.h5` (HDF5 weight file with the model definition's hash), `model.json`
/// (the trained graph with parameter values), `history.json` and `history.csv`.
public struct TrainStage: Stage {
  public let name = "train"
  public let inputs = ["data", "model"]
  public init() {}

  public func settings(_ e: ResolvedExperiment) -> JSONValue { e.document["train"] ?? .null }

  public func run(_ context: StageContext) throws {
    let s = context.settings
    let dataPath = try context.input("data").appendingPathComponent("dataset.h5").path
    let data = try DatasetFile(path: dataPath)
    let graph = try Self.loadGraph(context.input("model").appendingPathComponent("model.json"))
    let executor = try GraphExecutor(graph: graph, random: context.rng.split("init"))
    let isIdentity = data.kind == .identity
    let trainSplit = try data.split("train")
    let identities = isIdentity ? try trainSplit.identities() : []
    let identityClasses = isIdentity ? (identities.max() ?? 0) + 1 : nil
    let model = try GraphModel(executor: executor, identityClasses: identityClasses, random: context.rng)

    var loaderConfig = Self.loaderConfig(for: graph, settings: s)
    loaderConfig.augmentation = Self.augmentation(s.train.augment)
    var pk: PKBatchSampler? = nil
    if isIdentity {
      let k = min(4, s.data.imagesPerIdentity)
      let p = max(2, s.train.batchSize / k)
      loaderConfig.batchSize = p * k
      pk = try PKBatchSampler(labels: identities, identitiesPerBatch: p, imagesPerIdentity: k)
    }
    let train = LoaderSource(loader: try DataLoader(path: dataPath, split: "train", config: loaderConfig, random: context.rng.split("train-data")),
                             pk: pk, stream: context.rng)
    var validation: LoaderSource? = nil
    if !isIdentity, data.splitNames.contains("val") {
      var vc = Self.loaderConfig(for: graph, settings: s)
      vc.shuffle = false
      validation = LoaderSource(loader: try DataLoader(path: dataPath, split: "val", config: vc, random: context.rng.split("val-data")), stream: context.rng)
    }

    let objective = try Self.objective(graph: graph, settings: s, identity: isIdentity)
    let reporter = Training.ProgressReporter()
    let cancel = ClosureCallback { event, state in
      if case .trainBatchEnd = event, Cancellation.isRequested { state.stopRequested = true }
    }
    let trainer = try Trainer(model: model, configuration: Self.configuration(s), trainingData: train, validationData: validation,
                              objective: objective, directory: context.work, callbacks: [reporter, cancel])
    let reason = try trainer.fit(resume: true)
    if case .requested = reason { throw StageError.interrupted }

    let trained = executor.exportGraph()
    try AtomicWrite.writeJSON(trained, to: context.output.appendingPathComponent("model.json"), snakeCase: false)
    try WeightFile.save(trained, to: context.output.appendingPathComponent("weights.h5").path,
                        definition: try? ModelZoo.definition(s.model.zoo))
    try Self.writeHistory(from: context.work, to: context.output)
  }

  /// The training history, split in two: `history.json`/`history.csv` hold what the run computed
  /// (loss terms, lr, validation values) and are part of the artifact's hash; the full records
  /// with wall time and images/s go to `volatile/`, which is kept but not hashed (timing differs
  /// between two otherwise identical runs).
  static func writeHistory(from work: URL, to output: URL) throws {
    let src = work.appendingPathComponent("history.json")
    guard let data = FileManager.default.contents(atPath: src.path) else { return }
    let volatile = output.appendingPathComponent(FileHash.volatileFolder)
    try FileManager.default.createDirectory(at: volatile, withIntermediateDirectories: true)
    try AtomicWrite.write(data, to: volatile.appendingPathComponent("history.json"))
    let timing: Set<String> = ["imagesPerSecond", "seconds"]
    let records = (try JSONValue.parse(data, file: src.path).arrayValue ?? []).map { r -> JSONValue in
      guard case .object(var o) = r else { return r }
      for k in timing { o[k] = nil }
      return .object(o)
    }
    try AtomicWrite.writeJSON(.array(records), to: output.appendingPathComponent("history.json"))
    if let csv = try? String(contentsOf: work.appendingPathComponent("history.csv"), encoding: .utf8) {
      try AtomicWrite.write(csv, to: volatile.appendingPathComponent("history.csv"))
      let lines = csv.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
      if let header = lines.first {
        let keep = header.indices.filter { !["images_per_second", "seconds"].contains(header[$0]) }
        let kept = lines.map { row in keep.map { $0 < row.count ? row[$0] : "" }.joined(separator: ",") }
        try AtomicWrite.write(kept.joined(separator: "\n") + "\n", to: output.appendingPathComponent("history.csv"))
      }
    }
  }

  static func loadGraph(_ url: URL) throws -> ModelGraph {
    guard let data = FileManager.default.contents(atPath: url.path) else { throw StageError.failed("\(url.path) is missing") }
    do { return try JSONDecoder().decode(ModelGraph.self, from: data) } catch {
      throw StageError.failed("\(url.path) is not a model graph: \(error)")
    }
  }

  /// Loader settings matching the model's input: channels and size, pixel values in [0, 1].
  static func loaderConfig(for graph: ModelGraph, settings s: ExperimentSettings) -> LoaderConfig {
    var c = LoaderConfig()
    c.batchSize = s.train.batchSize
    if let shape = graph.inputs.first?.shape, shape.count == 4 {
      c.channels = shape[1]; c.height = shape[2]; c.width = shape[3]
    }
    return c
  }

  static func augmentation(_ a: ExperimentSettings.Augment) -> Augmentation {
    var g = Augmentation()
    g.flipProbability = Float(a.flip)
    g.minScale = Float(1 - a.scale); g.maxScale = Float(1 + a.scale)
    g.translate = Float(a.translate)
    g.brightness = Float(a.brightness); g.contrast = Float(a.contrast)
    return g
  }

  static func configuration(_ s: ExperimentSettings) -> TrainingConfiguration {
    let t = s.train, o = t.optimizer, e = Double(t.epochs)
    let schedule: LearningRateSchedule
    switch t.schedule.name {
    case "step": schedule = .step(stepEpochs: Double(t.schedule.stepEpochs), gamma: t.schedule.gamma)
    case "multistep": schedule = .multiStep(milestones: t.schedule.milestones.map(Double.init), gamma: t.schedule.gamma)
    case "cosine": schedule = .cosine(warmupEpochs: min(t.schedule.warmupEpochs, e), totalEpochs: e, warmupStartFactor: 0.1, minFactor: t.schedule.finalFraction)
    case "onecycle": schedule = .oneCycle(totalEpochs: e, pctStart: 0.3, divFactor: 25, finalDivFactor: max(1, 1 / max(t.schedule.finalFraction, 1e-6) / 25))
    default: schedule = .constant
    }
    let rule: Optimizer.Rule
    switch o.name {
    case "sgd": rule = .sgd(SGD(momentum: Float(o.momentum), nesterov: o.nesterov, weightDecay: Float(o.weightDecay)))
    case "adamw": rule = .adam(Adam.adamW(beta1: Float(o.beta1), beta2: Float(o.beta2), weightDecay: Float(o.weightDecay)))
    default: rule = .adam(Adam(beta1: Float(o.beta1), beta2: Float(o.beta2), weightDecay: Float(o.weightDecay)))
    }
    return TrainingConfiguration(epochs: t.epochs, seed: s.seed, learningRate: o.lr, schedule: schedule, optimizer: rule,
                                 gradientClipNorm: t.gradClip > 0 ? Float(t.gradClip) : nil,
                                 earlyStopping: t.patience > 0 ? EarlyStopping(patience: t.patience) : nil)
  }

  /// The loss: YOLO terms for detection heads, CE + lifted structured for face descriptors.
  static func objective(graph: ModelGraph, settings s: ExperimentSettings, identity: Bool) throws -> (GraphModel.Output, LoaderBatch) -> LossTerms {
    let l = s.train.loss
    if identity {
      guard let d = graph.outputs.first(where: { $0.role == .descriptor }) else {
        throw StageError.failed("model \(graph.name) has no descriptor output, so it cannot be trained on identity data")
      }
      let loss = FaceDescriptorLoss(crossEntropyWeight: Float(l.ceWeight), liftedWeight: Float(l.liftedWeight),
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
      var y = YOLOLoss(anchors: h.anchors ?? [],
                       classCount: h.numClasses ?? 1, inputWidth: input[3], inputHeight: input[2])
      y.box = l.box == "mse" ? .mseOffsets : .giou
      y.objectness = l.objectness == "focal" ? .focal(gamma: 2, alpha: 0.25) : .bce
      switch l.classification {
      case "bce": y.classification = .binary(.bce)
      case "focal": y.classification = .binary(.focal(gamma: 2, alpha: 0.25))
      default: y.classification = .crossEntropy
      }
      y.boxWeight = Float(l.boxWeight); y.objectnessWeight = Float(l.objectnessWeight); y.classWeight = Float(l.classWeight)
      y.ignoreThreshold = l.ignoreIou > 0 ? Float(l.ignoreIou) : nil
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
