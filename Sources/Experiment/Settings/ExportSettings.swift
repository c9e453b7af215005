import KModel
import Support

/// The `export` section: deployment files a run writes, each an optional sub-section.
public struct ExportSettings: Codable, Equatable, Sendable {
  /// The K210 kmodel (needs `quantize.scheme` = `k210`).
  public var kmodel: KModelSection?
  /// The float model as ONNX.
  public var onnx: ONNXSection?

  /// `export.kmodel`: the K210 kmodel, its format version and (V3) its writer's optimisation
  /// passes (`k210.md` §8, the seed article), each exact and on by default.
  public struct KModelSection: Codable, Equatable, Sendable {
    /// 3 (nncase v0.1; the Kendryte SDK and MaixPy load it) or 5 (nncase 1.x; its runtime and
    /// `nncase.Simulator` load it).
    public var version: Int
    /// Exact 2× nearest upsampling of uint8 codes runs the 2×2-block kernel.
    public var upsampleFastPath: Bool
    /// Concat producers write straight into the concat's output (no concat layer).
    public var concatElimination: Bool
    /// DEQUANTIZE → QUANTIZE round trips become a REQUANTIZE table or nothing.
    public var cancelRequantize: Bool

    public init(
      version: Int = 3, upsampleFastPath: Bool = true, concatElimination: Bool = true, cancelRequantize: Bool = true
    ) {
      (self.version, self.upsampleFastPath, self.concatElimination) = (version, upsampleFastPath, concatElimination)
      self.cancelRequantize = cancelRequantize
    }

    /// The V3 writer's options from these settings.
    public var writerOptions: KModelV3Options {
      KModelV3Options(
        upsampleFastPath: upsampleFastPath, concatElimination: concatElimination, cancelRequantize: cancelRequantize)
    }

    static let schema = Schema.object(
      fields: [
        .init(
          "version",
          .int(
            min: 3, max: 5,
            "The kmodel format: 3 (default) for MaixPy and the Kendryte SDK's kpu_load_kmodel, which load only V3/V4; 5 for the nncase 1.x runtime and nncase.Simulator, which load only V5 (CPU ops between KPU layers: upsample, max pooling, concat, depthwise stride-2 slices, global average pooling, dense; other float layers such as sigmoid or softmax not yet). 4 is not written."
          ), default: 3),
        .init(
          "upsample_fast_path",
          .bool(doc: "Run exact 2× nearest upsampling of uint8 codes with the 2×2-block kernel (same bytes)."),
          default: true),
        .init(
          "concat_elimination",
          .bool(
            doc: "Let a concat's producers write straight into its output, removing the concat layer (same bytes)."),
          default: true),
        .init(
          "cancel_requantize",
          .bool(doc: "Turn DEQUANTIZE → QUANTIZE round trips into one REQUANTIZE table or nothing (same bytes; V3)."),
          default: true),
      ],
      doc:
        "The quantized model as a K210 kmodel, written from the k210 scheme's KPU layers and scored by the simulator that runs its bytes as the `kmodel` variant."
    )
  }

  /// `export.onnx`.
  public struct ONNXSection: Codable, Equatable, Sendable {
    /// The ai.onnx operator set.
    public var opset: Int
    /// Fold BatchNorm into the convolutions.
    public var foldBatchnorm: Bool

    static let schema = Schema.object(
      fields: [
        .init("opset", .int(min: 13, max: 21, "The ai.onnx operator set."), default: 13),
        .init("fold_batchnorm", .bool(doc: "Fold BatchNorm into the convolutions."), default: false),
      ], doc: "The float model (compressed when compress is set) as ONNX.")
  }

  static let schema = Schema.object(
    fields: [
      .init("kmodel", KModelSection.schema, optional: true),
      .init("onnx", ONNXSection.schema, optional: true),
    ], doc: "Deployment files the run writes.")
}
