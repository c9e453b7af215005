/// The experiment file format, version 1: every section, field, range and default in one place.
/// `docs` strings become the descriptions in `workbench schema`.
public enum ExperimentSchema {
  static let later = { (stage: String) in
    Schema.unsupported(reason: "this version (1) of the experiment format does not support the `\(stage)` stage yet; remove the section (it is planned for a later version)")
  }

  static let optimizer = Schema.object(fields: [
    .init("name", .choice(["sgd", "adam", "adamw"], "Optimizer."), default: "adam"),
    .init("lr", .positive("Peak learning rate."), default: 0.002),
    .init("momentum", .fraction("SGD momentum (PyTorch semantics)."), default: 0.9),
    .init("nesterov", .bool(doc: "Nesterov momentum for SGD."), default: false),
    .init("weight_decay", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "L2 (SGD, Adam) or decoupled (AdamW) weight decay; not applied to BatchNorm and bias parameters."), default: 0.0005),
    .init("beta1", .fraction("Adam β₁."), default: 0.9),
    .init("beta2", .fraction("Adam β₂."), default: 0.999),
  ], doc: "Optimizer settings.")

  static let schedule = Schema.object(fields: [
    .init("name", .choice(["constant", "step", "multistep", "cosine", "onecycle"], "Learning-rate schedule."), default: "cosine"),
    .init("warmup_epochs", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Linear warm-up length (cosine)."), default: 1),
    .init("step_epochs", .int(min: 1, "Decay period for `step`."), default: 10),
    .init("milestones", .array(of: .int(min: 1, "Epoch."), minItems: 0, doc: "Decay epochs for `multistep`."), default: .array([])),
    .init("gamma", .fraction("Decay factor for step schedules."), default: 0.1),
    .init("final_fraction", .fraction("Final lr as a fraction of the peak (cosine, onecycle)."), default: 0.01),
  ], doc: "Learning-rate schedule.")

  static let loss = Schema.object(fields: [
    .init("box", .choice(["giou", "mse"], "YOLO box term."), default: "giou"),
    .init("objectness", .choice(["bce", "focal"], "YOLO objectness term."), default: "bce"),
    .init("classification", .choice(["ce", "bce", "focal"], "YOLO class term."), default: "ce"),
    .init("box_weight", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Weight of the box term (mean 1 − GIoU over assigned objects)."), default: 1),
    .init("objectness_weight", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Weight of the objectness term (mean BCE over all predictions; positives are ~2% of them, so it needs the larger weight)."), default: 2),
    .init("class_weight", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Weight of the class term."), default: 0.5),
    .init("ce_weight", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Face descriptor: weight of the identity cross-entropy."), default: 1),
    .init("lifted_weight", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Face descriptor: weight of the lifted structured loss."), default: 1),
    .init("lifted_margin", .positive("Face descriptor: lifted structured loss margin α."), default: 1),
    .init("label_smoothing", .fraction("Cross-entropy label smoothing."), default: 0),
    .init("ignore_iou", .fraction("YOLO: predictions whose box overlaps an object above this IoU are not penalised as background (YOLOv3 §2.1); 0 = off."), default: 0.5),
  ], doc: "Loss settings.")

  static let augment = Schema.object(fields: [
    .init("flip", .fraction("Probability of a horizontal flip."), default: 0.5),
    .init("scale", .fraction("Random scale jitter (±fraction)."), default: 0.1),
    .init("translate", .fraction("Random translation (fraction of the size)."), default: 0.1),
    .init("brightness", .fraction("Brightness jitter."), default: 0.1),
    .init("contrast", .fraction("Contrast jitter."), default: 0.1),
  ], doc: "Training-time augmentation.")

  /// The whole format.
  public static let root = Schema.object(fields: [
    .init("version", .int(min: 1, max: 1, "Format version; this Workbench reads version 1."), required: true),
    .init("name", .string(choices: nil, doc: "Experiment name: letters, digits, '.', '_' and '-'; names the run folder Reports/<name>/."), required: true),
    .init("description", .string(choices: nil, doc: "Free text shown in the report."), default: ""),
    .init("seed", .int(min: 0, max: 4_294_967_295, "Seed of every random stream in the run."), default: 0),
    .init("data", .object(fields: [
      .init("source", .choice(["shapes", "digits", "faces", "file"], "Built-in generator, or an existing Workbench dataset file."), default: "shapes"),
      .init("path", .string(choices: nil, doc: "Dataset file (HDF5, format v1) when source is \"file\"."), default: ""),
      .init("image_size", .int(min: 16, max: 1024, "Square image size in pixels (generators)."), default: 64),
      .init("channels", .int(min: 1, max: 3, "1 (grayscale) or 3 (RGB)."), default: 3),
      .init("train", .int(min: 1, "Training images (generators)."), default: 2000),
      .init("val", .int(min: 1, "Validation images (generators)."), default: 400),
      .init("identities", .int(min: 4, "Identities (faces generator)."), default: 200),
      .init("images_per_identity", .int(min: 2, "Images per identity (faces generator)."), default: 10),
      .init("max_objects", .int(min: 1, "Maximum objects per image (shapes generator)."), default: 4),
      .init("test_identities", .int(min: 2, "Identities of the disjoint LFW-style test split (faces generator)."), default: 100),
      .init("test_images_per_identity", .int(min: 2, "Images per test identity (faces generator)."), default: 6),
      .init("pairs_per_fold", .int(min: 1, "Matched (and as many mismatched) pairs per fold of the 10 LFW folds (faces generator)."), default: 300),
    ], doc: "Where the data comes from."), default: .object([:])),
    .init("model", .object(fields: [
      .init("zoo", .string(choices: nil, doc: "A built-in model name (tiny-yolo, squeezenet1.1-reid, squeezenet1.1, mobilenet-v1) or a path to a JSON model definition."), default: "tiny-yolo"),
      .init("width", .positive("Width multiplier (channels)."), default: 1),
      .init("depth", .positive("Depth multiplier (block repeats)."), default: 1),
      .init("resolution", .int(min: 0, "Input resolution; 0 takes the data's image size."), default: 0),
    ], doc: "The network."), default: .object([:])),
    .init("train", .object(fields: [
      .init("epochs", .int(min: 1, "Training epochs."), default: 30),
      .init("batch_size", .int(min: 1, "Images per step."), default: 32),
      .init("optimizer", optimizer, default: .object([:])),
      .init("schedule", schedule, default: .object([:])),
      .init("loss", loss, default: .object([:])),
      .init("augment", augment, default: .object([:])),
      .init("grad_clip", .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Clip gradients to this global norm (0 = off)."), default: 10),
      .init("patience", .int(min: 0, "Early stopping: epochs without validation improvement (0 = off)."), default: 0),
    ], doc: "Training."), default: .object([:])),
    .init("evaluate", .object(fields: [
      .init("split", .choice(["val", "test", "train"], "Split to evaluate on."), default: "val"),
      .init("ap", .choice(["coco101", "voc07", "voc-all"], "AP definition."), default: "coco101"),
      .init("confidence_threshold", .fraction("Detections below this score are dropped before NMS."), default: 0.01),
      .init("nms_iou", .fraction("IoU above which NMS suppresses a box of the same class."), default: 0.45),
      .init("max_detections", .int(min: 1, "Detections kept per image."), default: 100),
      .init("distance", .choice(["cosine", "euclidean", "squared-euclidean"], "Face verification distance."), default: "cosine"),
      .init("gates", .map(of: .string(choices: nil, doc: "A condition like \">= 0.6\"."), doc: "KPI gates: metric → condition; a failed gate exits with code 3."), default: .object([:])),
    ], doc: "KPI evaluation."), default: .object([:])),
    .init("report", .object(fields: [
      .init("enabled", .bool(doc: "Render report.html and report.md."), default: true),
    ], doc: "Report rendering."), default: .object([:])),
    .init("compress", later("compress")),
    .init("quantize", later("quantize")),
    .init("export", later("export")),
    .init("simulate", later("simulate")),
    .init("sweep", later("sweep")),
  ], doc: "A Workbench experiment (format version 1).")
}
