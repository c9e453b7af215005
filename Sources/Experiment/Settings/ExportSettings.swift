import Support

/// The `export` section: deployment files a run writes, each an optional sub-section.
public struct ExportSettings: Codable, Equatable, Sendable {
  /// The K210 kmodel (needs `quantize.scheme` = `k210`).
  public var kmodel: KModelSection?
  /// The float model as ONNX.
  public var onnx: ONNXSection?

  /// `export.kmodel` (no options yet: V3, the format MaixPy and the Kendryte SDK load).
  public struct KModelSection: Codable, Equatable, Sendable {
    static let schema = Schema.object(
      fields: [],
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
