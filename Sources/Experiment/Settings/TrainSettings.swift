import Datasets
import Support
import Tensors
import Training

/// The `train` section: optimizer, schedule, loss, augmentation. Owned by ``TrainStage``, which
/// hands ``configuration(random:)`` and ``augmentation`` straight to the Training and Datasets
/// libraries.
public struct TrainSettings: Codable, Equatable, Sendable {
  /// Training epochs.
  public var epochs: Int
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

  static let schema = Schema.object(
    fields: [
      .init("epochs", .int(min: 1, "Training epochs."), default: 30),
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
    ], doc: "Training.")

  /// The Training library's configuration; `random` is the train stage's stream, the one
  /// root of the data order and augmentation.
  public func configuration(random: RandomStream) -> TrainingConfiguration {
    TrainingConfiguration(
      epochs: epochs, random: random, learningRate: optimizer.lr, schedule: schedule.schedule(epochs: epochs),
      optimizer: optimizer.rule, gradientClipNorm: gradClip > 0 ? Float(gradClip) : nil,
      earlyStopping: patience > 0 ? EarlyStopping(patience: patience) : nil)
  }

  /// The loader's augmentation.
  public var augmentation: Augmentation { augment.augmentation }
}

/// `train.optimizer`.
public struct OptimizerSettings: Codable, Equatable, Sendable {
  /// Optimizer names.
  public enum Name: String, SettingChoice {
    /// SGD with (optionally Nesterov) momentum, PyTorch semantics.
    case sgd
    /// Adam (Kingma & Ba 2015) with L2 weight decay.
    case adam
    /// AdamW (Loshchilov & Hutter 2019): decoupled weight decay.
    case adamw
  }

  /// Learning-rate schedule.
  public var name: Name
  /// Peak learning rate.
  public var lr: Double
  /// SGD momentum (PyTorch semantics).
  public var momentum: Double
  /// Nesterov momentum for SGD.
  public var nesterov: Bool
  /// L2 (SGD, Adam) or decoupled (AdamW) weight decay; not applied to BatchNorm and bias parameters.
  public var weightDecay: Double
  /// Adam β₁.
  public var beta1: Double
  /// Adam β₂.
  public var beta2: Double

  static let schema = Schema.object(
    fields: [
      .init("name", .choice(Name.self, "Optimizer."), default: "adam"),
      .init("lr", .positive("Peak learning rate."), default: 0.002),
      .init("momentum", .fraction("SGD momentum (PyTorch semantics)."), default: 0.9),
      .init("nesterov", .bool(doc: "Nesterov momentum for SGD."), default: false),
      .init(
        "weight_decay",
        .number(
          min: 0, max: nil, exclusiveMin: false, integer: false,
          doc: "L2 (SGD, Adam) or decoupled (AdamW) weight decay; not applied to BatchNorm and bias parameters."),
        default: 0.0005),
      .init("beta1", .fraction("Adam β₁."), default: 0.9),
      .init("beta2", .fraction("Adam β₂."), default: 0.999),
    ], doc: "Optimizer settings.")

  /// The Training library's rule.
  public var rule: Optimizer.Rule {
    switch name {
    case .sgd: return .sgd(SGD(momentum: Float(momentum), nesterov: nesterov, weightDecay: Float(weightDecay)))
    case .adam: return .adam(Adam(beta1: Float(beta1), beta2: Float(beta2), weightDecay: Float(weightDecay)))
    case .adamw: return .adam(Adam.adamW(beta1: Float(beta1), beta2: Float(beta2), weightDecay: Float(weightDecay)))
    }
  }
}

/// `train.schedule`.
public struct ScheduleSettings: Codable, Equatable, Sendable {
  /// Schedule names (formulas in `LearningRateSchedule`).
  public enum Name: String, SettingChoice {
    /// The peak rate throughout.
    case constant
    /// Multiply by `gamma` every `step_epochs`.
    case step
    /// Multiply by `gamma` at each of `milestones`.
    case multistep
    /// Linear warm-up, then cosine annealing (Loshchilov & Hutter 2017).
    case cosine
    /// One-cycle (Smith & Topin 2017), PyTorch's two-phase cosine form.
    case onecycle
  }

  /// Learning-rate schedule.
  public var name: Name
  /// Linear warm-up length (cosine).
  public var warmupEpochs: Double
  /// Cosine: the warm-up starts at this fraction of the peak rate (Goyal et al. 2017).
  public var warmupStartFactor: Double
  /// Decay period for `step`.
  public var stepEpochs: Int
  /// Decay epochs for `multistep`.
  public var milestones: [Int]
  /// Decay factor for step schedules.
  public var gamma: Double
  /// Final lr as a fraction of the peak (cosine, onecycle).
  public var finalFraction: Double
  /// One-cycle: fraction of training spent increasing the rate (Smith & Topin 2017).
  public var pctStart: Double
  /// One-cycle: the cycle starts at peak / div_factor.
  public var divFactor: Double

  static let schema = Schema.object(
    fields: [
      .init("name", .choice(Name.self, "Learning-rate schedule."), default: "cosine"),
      .init(
        "warmup_epochs",
        .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Linear warm-up length (cosine)."),
        default: 1),
      .init(
        "warmup_start_factor",
        .fraction("Cosine: the warm-up starts at this fraction of the peak rate (Goyal et al. 2017)."), default: 0.1),
      .init("step_epochs", .int(min: 1, "Decay period for `step`."), default: 10),
      .init(
        "milestones", .array(of: .int(min: 1, "Epoch."), minItems: 0, doc: "Decay epochs for `multistep`."),
        default: .array([])),
      .init("gamma", .fraction("Decay factor for step schedules."), default: 0.1),
      .init("final_fraction", .fraction("Final lr as a fraction of the peak (cosine, onecycle)."), default: 0.01),
      .init(
        "pct_start",
        .number(
          min: 0, max: 1, exclusiveMin: true, integer: false,
          doc: "One-cycle: fraction of training spent increasing the rate (Smith & Topin 2017)."), default: 0.3),
      .init(
        "div_factor",
        .number(
          min: 1, max: nil, exclusiveMin: false, integer: false,
          doc: "One-cycle: the cycle starts at peak / div_factor."), default: 25),
    ], doc: "Learning-rate schedule.")

  /// The Training library's schedule for a run of `epochs` epochs.
  public func schedule(epochs: Int) -> LearningRateSchedule {
    let e = Double(epochs)
    switch name {
    case .constant: return .constant
    case .step: return .step(stepEpochs: Double(stepEpochs), gamma: gamma)
    case .multistep: return .multiStep(milestones: milestones.map(Double.init), gamma: gamma)
    case .cosine:
      return .cosine(
        warmupEpochs: min(warmupEpochs, e), totalEpochs: e, warmupStartFactor: warmupStartFactor,
        minFactor: finalFraction)
    case .onecycle:
      return .oneCycle(
        totalEpochs: e, pctStart: pctStart, divFactor: divFactor,
        finalDivFactor: max(1, 1 / max(finalFraction, 1e-6) / divFactor))
    }
  }
}

/// `train.loss`: the YOLO terms for detection and the face-descriptor terms for identities.
public struct LossSettings: Codable, Equatable, Sendable {
  /// YOLO box term.
  public enum Box: String, SettingChoice {
    /// 1 − GIoU (Rezatofighi et al. 2019).
    case giou
    /// Squared error of the raw offsets (YOLOv3).
    case mse
  }
  /// YOLO objectness term.
  public enum Objectness: String, SettingChoice {
    /// Binary cross-entropy.
    case bce
    /// Focal loss (Lin et al. 2017) with `focal_gamma`, `focal_alpha`.
    case focal
  }
  /// YOLO class term.
  public enum Classification: String, SettingChoice {
    /// Softmax cross-entropy (one class per box).
    case ce
    /// Independent sigmoids with BCE (YOLOv3).
    case bce
    /// Independent sigmoids with the focal loss.
    case focal
  }

  /// YOLO box term.
  public var box: Box
  /// YOLO objectness term.
  public var objectness: Objectness
  /// YOLO class term.
  public var classification: Classification
  /// Weight of the box term (mean 1 − GIoU over assigned objects).
  public var boxWeight: Double
  /// Weight of the objectness term (mean BCE over all predictions; positives are ~2% of them, so it needs the larger weight).
  public var objectnessWeight: Double
  /// Weight of the class term.
  public var classWeight: Double
  /// Focal loss focusing parameter γ (Lin et al. 2017).
  public var focalGamma: Double
  /// Focal loss positive-class weight α (Lin et al. 2017).
  public var focalAlpha: Double
  /// Face descriptor: weight of the identity cross-entropy.
  public var ceWeight: Double
  /// Face descriptor: weight of the lifted structured loss.
  public var liftedWeight: Double
  /// Face descriptor: lifted structured loss margin α.
  public var liftedMargin: Double
  /// Cross-entropy label smoothing.
  public var labelSmoothing: Double
  /// YOLO: predictions whose box overlaps an object above this IoU are not penalised as background (YOLOv3 §2.1); 0 = off.
  public var ignoreIou: Double

  static func weight(_ doc: String) -> Schema {
    .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: doc)
  }

  static let schema = Schema.object(
    fields: [
      .init("box", .choice(Box.self, "YOLO box term."), default: "giou"),
      .init("objectness", .choice(Objectness.self, "YOLO objectness term."), default: "bce"),
      .init("classification", .choice(Classification.self, "YOLO class term."), default: "ce"),
      .init("box_weight", weight("Weight of the box term (mean 1 − GIoU over assigned objects)."), default: 1),
      .init(
        "objectness_weight",
        weight(
          "Weight of the objectness term (mean BCE over all predictions; positives are ~2% of them, so it needs the larger weight)."
        ), default: 2),
      .init("class_weight", weight("Weight of the class term."), default: 0.5),
      .init("focal_gamma", weight("Focal loss focusing parameter γ (Lin et al. 2017)."), default: 2),
      .init("focal_alpha", .fraction("Focal loss positive-class weight α (Lin et al. 2017)."), default: 0.25),
      .init("ce_weight", weight("Face descriptor: weight of the identity cross-entropy."), default: 1),
      .init("lifted_weight", weight("Face descriptor: weight of the lifted structured loss."), default: 1),
      .init("lifted_margin", .positive("Face descriptor: lifted structured loss margin α."), default: 1),
      .init("label_smoothing", .fraction("Cross-entropy label smoothing."), default: 0),
      .init(
        "ignore_iou",
        .fraction(
          "YOLO: predictions whose box overlaps an object above this IoU are not penalised as background (YOLOv3 §2.1); 0 = off."
        ), default: 0.5),
    ], doc: "Loss settings.")
}

/// `train.augment`.
public struct AugmentSettings: Codable, Equatable, Sendable {
  /// Probability of a horizontal flip.
  public var flip: Double
  /// Random scale jitter (±fraction).
  public var scale: Double
  /// Random translation (fraction of the size).
  public var translate: Double
  /// Brightness jitter.
  public var brightness: Double
  /// Contrast jitter.
  public var contrast: Double

  static let schema = Schema.object(
    fields: [
      .init("flip", .fraction("Probability of a horizontal flip."), default: 0.5),
      .init("scale", .fraction("Random scale jitter (±fraction)."), default: 0.1),
      .init("translate", .fraction("Random translation (fraction of the size)."), default: 0.1),
      .init("brightness", .fraction("Brightness jitter."), default: 0.1),
      .init("contrast", .fraction("Contrast jitter."), default: 0.1),
    ], doc: "Training-time augmentation.")

  /// The Datasets library's augmentation.
  public var augmentation: Augmentation {
    var g = Augmentation()
    g.flipProbability = Float(flip)
    g.minScale = Float(1 - scale)
    g.maxScale = Float(1 + scale)
    g.translate = Float(translate)
    g.brightness = Float(brightness)
    g.contrast = Float(contrast)
    return g
  }
}
