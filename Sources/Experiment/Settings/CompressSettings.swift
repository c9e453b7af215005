import Compression
import Support

/// The `compress` section: structured channel pruning of the trained model between `train` and
/// `quantize`, which removes channels physically (weights, BN statistics, consumers' inputs),
/// then fine-tunes through the training loop. Writing the section adds the `compress` stage and
/// the `compressed` model variant; quantization then starts from the compressed model.
public struct CompressSettings: Codable, Equatable, Sendable {
  /// `compress.prune`.
  public var prune: PruneSection

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

    /// The library's settings.
    public var library: CompressionSettings {
      var s = CompressionSettings()
      (s.criterion, s.ratio, s.layerRatios, s.maxMACs, s.maxParameters) =
        (criterion, ratio, layerRatios, maxMacs, maxParameters)
      (s.roundTo, s.exclude, s.maxRatio, s.schedule, s.steps, s.frequency) =
        (roundTo, exclude, maxRatio, schedule, steps, frequency)
      (s.fineTuneEpochs, s.foldBatchNorm) = (fineTuneEpochs, foldBn)
      return s
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
      ], doc: "Structured channel pruning.")
  }

  static let schema = Schema.object(
    fields: [.init("prune", PruneSection.schema, default: .object([:]))],
    doc:
      "Compression of the trained model before quantization: structured channel pruning that shrinks the exported graph; adds the `compressed` model variant."
  )
}

extension CompressionSettings.Criterion: SettingChoice {}
extension CompressionSettings.Schedule: SettingChoice {}
