import Support

/// The `export` section: deployment files a run writes, each an optional sub-section.
public struct ExportSettings: Codable, Equatable, Sendable {
  /// The K210 kmodel (needs `quantize.scheme` = `k210`).
  public var kmodel: KModelSection?
  /// The float model as ONNX.
  public var onnx: ONNXSection?

  /// `export.kmodel`: the K210 kmodel and its format version.
  public struct KModelSection: Codable, Equatable, Sendable {
    /// 3 (nncase v0.1; the Kendryte SDK and MaixPy load it) or 5 (nncase 1.x; its runtime and
    /// `nncase.Simulator` load it).
    public var version: Int

    public init(version: Int = 3) { self.version = version }

    static let schema = Schema.object(
      fields: [
        .init(
          "version",
          .int(
            min: 3, max: 5,
            "The kmodel format: 3 (default) for MaixPy and the Kendryte SDK's kpu_load_kmodel, which load only V3/V4; 5 for the nncase 1.x runtime and nncase.Simulator, which load only V5 (CPU ops between KPU layers: upsample, max pooling, concat, depthwise stride-2 slices, global average pooling, dense; other float layers such as sigmoid or softmax not yet). 4 is not written."
          ), default: 3)
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
