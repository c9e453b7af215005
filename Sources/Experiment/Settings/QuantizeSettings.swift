import Quantization
import Support

/// The `quantize` section: turns the deployment graph (BatchNorm folded) into an integer model
/// for a target scheme, calibrated on a seeded, fixed sample of training images. Writing the
/// section adds the `quantize` stage and the `quantized` model variant, whose KPIs the
/// evaluate stage computes with the scheme's integer reference executor.
public struct QuantizeSettings: Codable, Equatable, Sendable {
  /// The scheme (`int8`, `k210`, …): whose arithmetic the integers follow.
  public var scheme: QuantizationScheme
  /// How ranges are chosen.
  public var calibration: CalibrationSection
  /// Weights get one scale per output channel (false: one per tensor, where the scheme allows).
  public var perChannel: Bool
  /// The bit width, where the scheme has a choice (nil: the scheme's own).
  public var bits: Int?
  /// Per-layer overrides (mixed precision), by node name.
  public var layers: [String: LayerOverride]
  /// `gap8-pow2`: accumulate a convolution in 32 bits and round once (AutoTiler's DP kernels)
  /// instead of clipping to 16 bits after every input channel.
  public var doublePrecision: Bool
  /// Cross-layer equalisation before calibration (Nagel et al. 2019, §4.1).
  public var equalize: Bool
  /// Empirical bias correction after quantization (Nagel et al. 2019, §4.2).
  public var biasCorrection: Bool
  /// Quantization-aware fine-tuning, when wanted.
  public var qat: QATSection?
  /// Automatic mixed precision, when wanted.
  public var mixedPrecision: MixedPrecisionSection?

  /// `quantize.mixed_precision`: starting from 8 bits everywhere, the layers whose output has
  /// the lowest SQNR (integer executor against float, calibration images) move to 16 bits, most
  /// sensitive first, while the weights still fit `memory_bytes` (`gap8-pow2`, the scheme with
  /// a choice of widths per layer).
  public struct MixedPrecisionSection: Codable, Equatable, Sendable {
    /// The weight memory budget in bytes.
    public var memoryBytes: Int

    static let schema = Schema.object(
      fields: [
        .init(
          "memory_bytes", .int(min: 1, "Weight memory budget in bytes (e.g. a GAP8's 512 KiB L2 share)."),
          required: true)
      ],
      doc:
        "Automatic mixed precision (gap8-pow2 with bits = 8): the most sensitive layers (lowest output SQNR) move to 16 bits while the weights fit the budget."
    )
  }

  /// `quantize.qat`: fine-tuning with fake quantization in the forward pass and straight-through
  /// gradients (Jacob et al. 2018), through the resumable training loop, on the training data
  /// with the train section's loss, optimizer and schedule shape.
  public struct QATSection: Codable, Equatable, Sendable {
    /// Fine-tuning epochs.
    public var epochs: Int
    /// Peak learning rate of the fine-tuning.
    public var lr: Double

    static let schema = Schema.object(
      fields: [
        .init("epochs", .int(min: 1, max: 1000, "Fine-tuning epochs."), default: 3),
        .init("lr", .positive("Peak learning rate of the fine-tuning."), default: 0.0005),
      ],
      doc:
        "Quantization-aware fine-tuning (fake quantization with straight-through gradients, Jacob et al. 2018) of the deployment graph with the calibrated ranges frozen; the train section's loss, optimizer, batch size and schedule shape."
    )
  }

  /// `quantize.calibration`.
  public struct CalibrationSection: Codable, Equatable, Sendable {
    /// The range method.
    public var method: CalibrationMethod
    /// Training images used for calibration (a seeded sample, the same on every run).
    public var images: Int
    /// For `percentile`: the share of |x| kept, in percent.
    public var percentile: Double
    /// Histogram bins of each tensor's |x|.
    public var bins: Int

    /// The library's settings.
    public var library: CalibrationSettings {
      CalibrationSettings(method: method, percentile: percentile, bins: bins)
    }

    static let schema = Schema.object(
      fields: [
        .init(
          "method",
          .choice(
            CalibrationMethod.self,
            "Range method: minmax (observed range), percentile (clip |x| at a percentile), kld (TensorRT entropy: the threshold minimising KL divergence), mse (the threshold minimising quantization MSE)."
          ), default: "minmax"),
        .init(
          "images",
          .int(min: 1, max: 100_000, "Training images used for calibration (a seeded sample, the same on every run)."),
          default: 128),
        .init(
          "percentile",
          .number(
            min: 0, max: 100, exclusiveMin: true, integer: false, doc: "For percentile: the share of |x| kept, in %."),
          default: 99.99),
        .init("bins", .int(min: 256, max: 65536, "Histogram bins of each tensor's |x| (even)."), default: 2048),
      ], doc: "Calibration on training images.")
  }

  /// `quantize.layers.<node>`.
  public struct LayerOverride: Codable, Equatable, Sendable {
    /// The layer's bit width.
    public var bits: Int

    static let schema = Schema.object(
      fields: [.init("bits", .int(min: 2, max: 16, "The layer's bit width (weights and output)."), required: true)],
      doc: "A per-layer override.")
  }

  /// The library's options.
  public var options: QuantizationOptions {
    QuantizationOptions(
      perChannel: perChannel, bits: bits, layerBits: layers.mapValues(\.bits), doublePrecision: doublePrecision)
  }

  static let schema = Schema.object(
    fields: [
      .init(
        "scheme",
        .choice(
          QuantizationScheme.self,
          "Target arithmetic: int8 (ONNX/TFLite: per-channel int8 weights, uint8 activations), k210 (nncase 1.9's KPU quantization), gap8-pow2 (gap_quantization's power-of-two fixed point, int16 by default, AutoTiler convolution semantics), gap8-sq8 (NNTool's scaled int8)."
        ), required: true),
      .init("calibration", CalibrationSection.schema, default: .object([:])),
      .init(
        "per_channel", .bool(doc: "One weight scale per output channel (false: per tensor, where the scheme allows)."),
        default: true),
      .init(
        "bits", .int(min: 2, max: 16, "Bit width where the scheme has a choice (absent: the scheme's own)."),
        optional: true),
      .init(
        "layers", .map(of: LayerOverride.schema, doc: "Per-layer overrides (mixed precision), by node name."),
        default: .object([:])),
      .init(
        "double_precision",
        .bool(
          doc:
            "gap8-pow2 only: accumulate convolutions in 32 bits and round once (AutoTiler's DP kernels) instead of clipping to 16 bits after every input channel."
        ), default: false),
      .init(
        "equalize",
        .bool(
          doc:
            "Cross-layer equalisation before calibration (Nagel et al. 2019): rescales channels between consecutive layers, preserving the float function; helps depthwise networks."
        ), default: false),
      .init(
        "bias_correction",
        .bool(
          doc:
            "Empirical bias correction (Nagel et al. 2019): subtracts each layer's mean output error from weight quantization, measured on the calibration images."
        ), default: false),
      .init("qat", QATSection.schema, optional: true),
      .init("mixed_precision", MixedPrecisionSection.schema, optional: true),
    ],
    doc:
      "Post-training quantization of the deployment graph; adds the `quantized` model variant, evaluated with the scheme's integer executor."
  )
}

extension QuantizationScheme: SettingChoice {}
extension CalibrationMethod: SettingChoice {}
