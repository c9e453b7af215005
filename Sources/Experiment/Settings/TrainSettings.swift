import Datasets
import Support
import Tensors
import Training

/// The `train` section: optimizer, schedule, loss, augmentation. Owned by ``TrainStage``, which
/// hands ``configuration(random:)`` and ``augmentation`` straight to the Training and Datasets
/// libraries.
public struct TrainSettings: Codable, Equatable, Sendable {
  /// Training epochs; 0 keeps an imported model's weights as they are.
  public var epochs: Int
  /// Stop after this many of the `epochs` (nil: train them all). The learning-rate schedule is
  /// still the one of an `epochs`-epoch run, so a run stopped at `k` and continued to `k'` is
  /// bit-identical to one stopped at `k'`: what ASHA's rungs need (a sweep sets it).
  public var stopAfterEpochs: Int?
  /// Images per step.
  public var batchSize: Int
  /// Face descriptors: images per identity in a P×K batch (P = batch_size / K identities).
  public var pkImages: Int
  /// Optimizer settings.
  public var optimizer: OptimizerSettings
  /// Learning-rate schedule.
  public var schedule: ScheduleSettings
  /// Loss settings.
  public var loss: LossSettings
  /// Training-time augmentation.
  public var augment: AugmentSettings
  /// Clip gradients to this global norm (0 = off).
  public var gradClip: Double
  /// Early stopping: epochs without validation improvement (0 = off).
  public var patience: Int
  /// λ of network slimming (Liu et al. 2017): λ·Σ|γ| over the BatchNorm scales is added to the
  /// loss, so that the `bn_scale` pruning criterion finds unimportant channels (0 = off).
  public var sparsity: Double

  static let schema = Schema.object(
    fields: [
      .init(
        "epochs", .int(min: 0, "Training epochs; 0 (imported ONNX models only) keeps the imported weights."),
        default: 30),
      .init(
        "stop_after_epochs",
        .int(
          min: 1,
          "Stop after this many epochs of a train.epochs-epoch run (the schedule stays that of train.epochs); a later run with a larger value continues from this one's checkpoint. ASHA sweeps set it per rung."
        )),
      .init("batch_size", .int(min: 1, "Images per step."), default: 32),
      .init(
        "pk_images",
        .int(
          min: 2,
          "Face descriptors: images per identity in a P×K batch (Hermans et al. 2017); P = batch_size / K, at least 2."),
        default: 4),
      .init("optimizer", OptimizerSettings.schema, default: .object([:])),
      .init("schedule", ScheduleSettings.schema, default: .object([:])),
      .init("loss", LossSettings.schema, default: .object([:])),
      .init("augment", AugmentSettings.schema, default: .object([:])),
      .init(
        "grad_clip",
        .number(
          min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Clip gradients to this global norm (0 = off)."),
        default: 10),
      .init("patience", .int(min: 0, "Early stopping: epochs without validation improvement (0 = off)."), default: 0),
      .init(
        "sparsity",
        .number(
          min: 0, max: nil, exclusiveMin: false, integer: false,
          doc:
            "Network slimming (Liu et al. 2017): λ of the λ·Σ|γ| penalty on the BatchNorm scales, a `sparsity` loss term that drives unimportant channels' γ to zero for compress.prune.criterion bn_scale (Liu et al. use 1e-5…1e-4; 0 = off)."
        ), default: 0),
    ], doc: "Training.")

  /// Epochs this run trains: `epochs`, or fewer with `stop_after_epochs`.
  public var trainedEpochs: Int { min(stopAfterEpochs ?? epochs, epochs) }

  /// The Training library's configuration; `random` is the train stage's stream, the one
  /// root of the data order and augmentation. It trains ``trainedEpochs`` epochs on the
  /// schedule of `epochs`.
  public func configuration(random: RandomStream) -> TrainingConfiguration {
    TrainingConfiguration(
      epochs: trainedEpochs, random: random, learningRate: optimizer.lr, schedule: schedule.schedule(epochs: epochs),
      optimizer: optimizer.rule, gradientClipNorm: gradClip > 0 ? Float(gradClip) : nil,
      earlyStopping: patience > 0 ? EarlyStopping(patience: patience) : nil)
  }

  /// The loader's augmentation.
  public var augmentation: Augmentation { augment.augmentation }
}
