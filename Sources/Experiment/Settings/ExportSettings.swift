import KModel
import Support

/// The `export` section: deployment files a run writes, each an optional sub-section.
public struct ExportSettings: Codable, Equatable, Sendable {
  /// The K210 kmodel (needs `quantize.scheme` = `k210`).
  public var kmodel: KModelSection?
  /// The float model as ONNX.
  public var onnx: ONNXSection?

  /// `export.kmodel`: V3, the format MaixPy and the Kendryte SDK load, and its writer's
  /// optimisation passes (`k210.md` §8, the seed article), each exact and on by default.
  public struct KModelSection: Codable, Equatable, Sendable {
    /// Exact 2× nearest upsampling of uint8 codes runs the 2×2-block kernel.
    public var upsampleFastPath: Bool
    /// Concat producers write straight into the concat's output (no concat layer).
    public var concatElimination: Bool
    /// DEQUANTIZE → QUANTIZE round trips become a REQUANTIZE table or nothing.
    public var cancelRequantize: Bool

    /// The V3 writer's options from these settings.
    public var writerOptions: KModelV3Options {
      KModelV3Options(
        upsampleFastPath: upsampleFastPath, concatElimination: concatElimination, cancelRequantize: cancelRequantize)
    }

    static let schema = Schema.object(
      fields: [
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
          .bool(doc: "Turn DEQUANTIZE → QUANTIZE round trips into one REQUANTIZE table or nothing (same bytes)."),
          default: true),
      ],
      doc:
        "The quantized model as a K210 kmodel V3 (Kendryte SDK, MaixPy), written from the k210 scheme's KPU layers and scored by the simulator that runs its bytes as the `kmodel` variant."
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
