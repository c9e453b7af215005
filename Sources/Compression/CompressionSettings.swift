import Graph

/// The settings of structured channel pruning, as a `compress.prune` section would hold them
/// (JSON names in snake case; every field has a default, so `{}` decodes).
///
/// Exactly one target applies, in this order: `max_macs`, `max_parameters` (budgets, met by
/// the smallest uniform ratio), then `ratio` with `layer_ratios` overriding it per group or
/// producer. With `sensitivity`, per-group ratios are chosen from the sensitivity curves for
/// the budget, or for the MACs the ratio target's plan has.
public struct CompressionSettings: Codable, Equatable, Sendable {
  /// How channels are ranked.
  public enum Criterion: String, Codable, CaseIterable, Sendable {
    /// L1 norm of the filters (Li et al. 2017).
    case l1
    /// L2 norm of the filters.
    case l2
    /// |γ| of the BatchNorms (network slimming, Liu et al. 2017); pair it with `sparsity`.
    case bnScale = "bn_scale"
    /// First-order Taylor expansion of the loss (Molchanov et al. 2019); needs gradients.
    case taylor
  }

  /// When channels are removed.
  public enum Schedule: String, Codable, CaseIterable, Sendable {
    /// All at once, then fine-tune.
    case oneShot = "one_shot"
    /// Automated gradual pruning (Zhu & Gupta 2017), fine-tuning between steps.
    case gradual
  }

  /// How channels are ranked (default l1).
  public var criterion: Criterion = .l1
  /// The ratio of channels removed from every prunable group (default 0.5).
  public var ratio: Double = 0.5
  /// Ratios by group id or producer node name, overriding `ratio`.
  public var layerRatios: [String: Double] = [:]
  /// A MAC budget per sample; when set, it decides the ratios.
  public var maxMACs: Int?
  /// A trainable-parameter budget; when set (and no MAC budget), it decides the ratios.
  public var maxParameters: Int?
  /// Choose per-group ratios from the sensitivity curves (Distiller-style) for the budget (or
  /// for the ratio target's MACs) instead of the planner's ratios. The analysis runs either way
  /// when `sensitivity_ratios` is non-empty and the stage has a KPI to measure.
  public var sensitivity: Bool = false
  /// Ratios tried per group by the sensitivity analysis (empty: no analysis).
  public var sensitivityRatios: [Double] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]
  /// Validation samples the sensitivity KPI is measured on (a fixed subset).
  public var sensitivitySamples: Int = 128
  /// Kept channel counts are multiples of this (8 suits the K210 and GAP8 kernels).
  public var roundTo: Int = 8
  /// Group ids or node names never pruned.
  public var exclude: [String] = []
  /// The largest ratio a budget may ask of a group.
  public var maxRatio: Double = 0.9
  /// One-shot or gradual.
  public var schedule: Schedule = .oneShot
  /// Gradual: the number of pruning steps after the first (n of Zhu & Gupta).
  public var steps: Int = 4
  /// Gradual: epochs of fine-tuning between pruning steps (Δt).
  public var frequency: Int = 1
  /// Epochs of fine-tuning after the last pruning step.
  public var fineTuneEpochs: Int = 5
  /// Minibatches the Taylor criterion accumulates gradients over.
  public var taylorBatches: Int = 8
  /// Fold BatchNorm into the convolutions of the exported compressed model.
  public var foldBatchNorm: Bool = true

  /// The defaults.
  public init() {}

  enum CodingKeys: String, CodingKey {
    case criterion, ratio, layerRatios = "layer_ratios", maxMACs = "max_macs", maxParameters = "max_parameters"
    case sensitivity, sensitivityRatios = "sensitivity_ratios", sensitivitySamples = "sensitivity_samples"
    case roundTo = "round_to", exclude, maxRatio = "max_ratio", schedule, steps, frequency
    case fineTuneEpochs = "fine_tune_epochs", taylorBatches = "taylor_batches", foldBatchNorm = "fold_bn"
  }

  /// Decodes, taking the default for every absent field.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let d = CompressionSettings()
    criterion = try c.decodeIfPresent(Criterion.self, forKey: .criterion) ?? d.criterion
    ratio = try c.decodeIfPresent(Double.self, forKey: .ratio) ?? d.ratio
    layerRatios = try c.decodeIfPresent([String: Double].self, forKey: .layerRatios) ?? d.layerRatios
    maxMACs = try c.decodeIfPresent(Int.self, forKey: .maxMACs)
    maxParameters = try c.decodeIfPresent(Int.self, forKey: .maxParameters)
    sensitivity = try c.decodeIfPresent(Bool.self, forKey: .sensitivity) ?? d.sensitivity
    sensitivityRatios = try c.decodeIfPresent([Double].self, forKey: .sensitivityRatios) ?? d.sensitivityRatios
    sensitivitySamples = try c.decodeIfPresent(Int.self, forKey: .sensitivitySamples) ?? d.sensitivitySamples
    roundTo = try c.decodeIfPresent(Int.self, forKey: .roundTo) ?? d.roundTo
    exclude = try c.decodeIfPresent([String].self, forKey: .exclude) ?? d.exclude
    maxRatio = try c.decodeIfPresent(Double.self, forKey: .maxRatio) ?? d.maxRatio
    schedule = try c.decodeIfPresent(Schedule.self, forKey: .schedule) ?? d.schedule
    steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? d.steps
    frequency = try c.decodeIfPresent(Int.self, forKey: .frequency) ?? d.frequency
    fineTuneEpochs = try c.decodeIfPresent(Int.self, forKey: .fineTuneEpochs) ?? d.fineTuneEpochs
    taylorBatches = try c.decodeIfPresent(Int.self, forKey: .taylorBatches) ?? d.taylorBatches
    foldBatchNorm = try c.decodeIfPresent(Bool.self, forKey: .foldBatchNorm) ?? d.foldBatchNorm
  }

  /// The target these settings ask for (budgets first, then ratios).
  public var target: PruningTarget {
    if let macs = maxMACs { return .macs(macs) }
    if let parameters = maxParameters { return .parameters(parameters) }
    return layerRatios.isEmpty ? .ratio(ratio) : .ratios(layerRatios, default: ratio)
  }

  /// The gradual schedule in units of the final ratios: fraction 0 before the first step, 1 at
  /// the last (one step at fraction 1 for one-shot).
  public var fractions: [(epoch: Int, fraction: Double)] {
    guard schedule == .gradual else { return [(0, 1)] }
    let agp = GradualPruningSchedule(initialRatio: 0, finalRatio: 1, start: 0, steps: steps, frequency: frequency)
    return agp.pruningSteps.filter { $0.ratio > 0 }.map { ($0.step, $0.ratio) }
  }
}
