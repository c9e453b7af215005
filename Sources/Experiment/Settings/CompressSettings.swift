import Compression
import Support

/// The `compress` section: structured channel pruning of the trained model between `train` and
/// `quantize`, which removes channels physically (weights, BN statistics, consumers' inputs),
/// then fine-tunes through the training loop. Writing the section adds the `compress` stage and
/// the `compressed` model variant; quantization then starts from the compressed model.
public struct CompressSettings: Codable, Equatable, Sendable {
  /// `compress.prune`.
  public var prune: PruneSection
  /// `compress.low_rank`, when written.
  public var lowRank: LowRankSection?

  /// `compress.low_rank`: k×k convolutions replaced by a k×k convolution to r channels and a
  /// 1×1 convolution (truncated SVD; Graph's ``LowRankFactorization``), after the last pruning
  /// step and before the final fine-tuning.
  public struct LowRankSection: Codable, Equatable, Sendable {
    public var energy: Double?
    public var maxMacs: Int?
    public var exclude: [String]

    /// Problems with their paths (`compress.low_rank.…`).
    public var problems: [String] {
      var found: [String] = []
      if energy == nil && maxMacs == nil {
        found.append("compress.low_rank: set energy (e.g. 0.9) or max_macs to choose the ranks.")
      }
      if let e = energy, !(e > 0 && e <= 1) {
        found.append("compress.low_rank.energy: must be above 0 and at most 1, got \(e).")
      }
      return found
    }

    static let schema = Schema.object(
      fields: [
        .init(
          "energy",
          .fraction(
            "Keep the smallest rank whose singular values hold this share of Σσ² (Zhang et al. 2015), where it saves MACs."
          ), optional: true),
        .init(
          "max_macs", .int(min: 1, "A MAC budget met with the largest common energy threshold (overrides energy)."),
          optional: true),
        .init(
          "exclude",
          .array(of: .string(choices: nil, doc: "A node name."), minItems: 0, doc: "Convolutions left whole."),
          default: .array([])),
      ],
      doc:
        "Low-rank factorisation (Zhang et al. 2015, Jaderberg et al. 2014): each k×k convolution becomes a k×k convolution to r channels and a 1×1 convolution, then the model is fine-tuned."
    )
  }

  /// `compress.prune`: the Compression library's settings, in the experiment's schema.
  public struct PruneSection: Codable, Equatable, Sendable {
    public var criterion: CompressionSettings.Criterion
    public var ratio: Double
    public var layerRatios: [String: Double]
    public var maxMacs: Int?
    public var maxParameters: Int?
    public var roundTo: Int
    public var exclude: [String]
    public var maxRatio: Double
    public var schedule: CompressionSettings.Schedule
    public var steps: Int
    public var frequency: Int
    public var fineTuneEpochs: Int
    public var foldBn: Bool
    /// How the target becomes per-group ratios.
    public var ratios: RatioSource
    /// The sensitivity analysis, when written (it also runs, with defaults, for `ratios:
    /// "sensitivity"`).
    public var sensitivity: SensitivitySection?

    /// `compress.prune.ratios`.
    public enum RatioSource: String, SettingChoice {
      /// The planner's ratios: `ratio` / `layer_ratios`, or the smallest uniform ratio meeting a budget.
      case uniform
      /// Per-group ratios chosen from the sensitivity curves for the budget.
      case sensitivity
    }

    /// `compress.prune.sensitivity`: each prunable group pruned alone at each ratio, without
    /// fine-tuning, the KPI measured on the first `samples` images of the evaluation split.
    public struct SensitivitySection: Codable, Equatable, Sendable {
      public var ratios: [Double]
      public var samples: Int

      /// The values a missing section stands for.
      static let defaults = SensitivitySection(ratios: CompressionSettings().sensitivityRatios, samples: 128)

      static let schema = Schema.object(
        fields: [
          .init(
            "ratios",
            .array(of: .fraction("A ratio above 0 and below 1."), minItems: 1, doc: "Ratios tried per group."),
            default: .array(defaults.ratios.map { .number($0) })),
          .init(
            "samples", .int(min: 1, "Evaluation-split images the KPI is measured on (the first ones)."),
            default: .number(Double(defaults.samples))),
        ],
        doc:
          "Sensitivity analysis (Li et al. 2017, Distiller): the KPI after pruning each group alone, without fine-tuning; a cached artifact and a report chart."
      )
    }

    /// Whether the sensitivity stage runs.
    public var analysesSensitivity: Bool { ratios == .sensitivity || sensitivity != nil }

    /// The library's settings.
    public var library: CompressionSettings {
      var s = CompressionSettings()
      (s.criterion, s.ratio, s.layerRatios, s.maxMACs, s.maxParameters) =
        (criterion, ratio, layerRatios, maxMacs, maxParameters)
      (s.roundTo, s.exclude, s.maxRatio, s.schedule, s.steps, s.frequency) =
        (roundTo, exclude, maxRatio, schedule, steps, frequency)
      (s.fineTuneEpochs, s.foldBatchNorm) = (fineTuneEpochs, foldBn)
      let analysis = sensitivity ?? (ratios == .sensitivity ? .defaults : nil)
      (s.sensitivity, s.sensitivityRatios) = (ratios == .sensitivity, analysis?.ratios ?? [])
      s.sensitivitySamples = analysis?.samples ?? SensitivitySection.defaults.samples
      return s
    }

    /// The library's problems with their paths in the experiment file (`compress.prune.…`).
    public var problems: [String] {
      let paths = ["sensitivity_ratios": "sensitivity.ratios", "sensitivity_samples": "sensitivity.samples"]
      return library.problems.map { p in
        let head = p.path.prefix { $0 != "[" }
        let path = paths[String(head)].map { $0 + p.path.dropFirst(head.count) } ?? p.path
        return "compress.prune.\(path): \(p.message)"
      }
    }

    static let schema = Schema.object(
      fields: [
        .init(
          "criterion",
          .choice(
            CompressionSettings.Criterion.self,
            "Channel ranking: l1 / l2 filter norm (Li et al. 2017), bn_scale |γ| (Liu et al. 2017), taylor (Molchanov et al. 2019: first-order loss change from the train objective's gradients on training batches)."
          ), default: "l1"),
        .init(
          "ratio", .fraction("Share of each prunable group's channels removed (when no budget is set)."),
          default: 0.5),
        .init(
          "layer_ratios", .map(of: .fraction("A ratio."), doc: "Ratios by group or producer node, overriding ratio."),
          default: .object([:])),
        .init(
          "max_macs", .int(min: 1, "A MAC budget, met by the smallest uniform ratio (overrides ratio)."),
          optional: true),
        .init(
          "max_parameters", .int(min: 1, "A parameter budget, met by the smallest uniform ratio."), optional: true),
        .init("round_to", .int(min: 1, max: 64, "Keep channel counts multiples of this."), default: 8),
        .init(
          "exclude", .array(of: .string(choices: nil, doc: "A node name."), minItems: 0, doc: "Groups left whole."),
          default: .array([])),
        .init("max_ratio", .fraction("The largest share removed from any group."), default: 0.9),
        .init(
          "schedule",
          .choice(
            CompressionSettings.Schedule.self,
            "one_shot: prune, then fine-tune; gradual: automated gradual pruning (Zhu & Gupta 2017), fine-tuning between steps."
          ), default: "one_shot"),
        .init("steps", .int(min: 1, max: 100, "Gradual: pruning steps."), default: 4),
        .init("frequency", .int(min: 1, max: 100, "Gradual: fine-tuning epochs between steps."), default: 1),
        .init("fine_tune_epochs", .int(min: 0, max: 1000, "Fine-tuning epochs after the last step."), default: 5),
        .init("fold_bn", .bool(doc: "Fold BatchNorm into the convolutions of the deployment graph."), default: true),
        .init(
          "ratios",
          .choice(
            RatioSource.self,
            "uniform: the ratio, layer ratios or smallest uniform ratio meeting the budget; sensitivity: per-group ratios chosen greedily from the sensitivity curves for max_macs, max_parameters, or the MACs the ratio would give."
          ), default: "uniform"),
        .init("sensitivity", SensitivitySection.schema, optional: true),
      ], doc: "Structured channel pruning.")
  }

  static let schema = Schema.object(
    fields: [
      .init("prune", PruneSection.schema, default: .object([:])),
      .init("low_rank", LowRankSection.schema, optional: true),
    ],
    doc:
      "Compression of the trained model before quantization: structured channel pruning that shrinks the exported graph; adds the `compressed` model variant."
  )
}

extension CompressionSettings.Criterion: SettingChoice {}
extension CompressionSettings.Schedule: SettingChoice {}
