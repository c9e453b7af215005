import Support

/// One entry of `model.outputs`: what an output of an imported (ONNX) model is for. ONNX files
/// made outside Workbench do not say which output holds class logits, a face descriptor or a
/// YOLO head (with its anchors and stride), which training, evaluation and quantization need.
public struct ModelOutputSettings: Codable, Equatable, Sendable {
  /// The output's name in the file; empty names the model's only output.
  public var name: String
  /// `logits`, `descriptor`, `yolo` or `tensor` (the graph IR's ``OutputInfo/Role``).
  public var role: String
  /// YOLO heads: anchor sizes `[width, height]` in input pixels.
  public var anchors: [[Double]]
  /// YOLO heads: input pixels per grid cell; 0 takes input height / grid height.
  public var stride: Int
  /// Logits and YOLO heads: the class count; 0 takes the dataset's.
  public var classes: Int

  static let schema = Schema.object(
    fields: [
      .init(
        "name", .string(choices: nil, doc: "The output's name in the file; empty names the model's only output."),
        default: ""),
      .init(
        "role",
        .choice(
          ["logits", "descriptor", "yolo", "tensor"],
          "What the output is: class logits [N, classes], a verification descriptor, a YOLO head [N, A·(5+C), H, W], or a plain tensor."
        ), required: true),
      .init(
        "anchors",
        .array(
          of: .array(of: .positive("Anchor width or height in input pixels."), minItems: 2, doc: "[width, height]"),
          minItems: 0, doc: "YOLO heads: anchor sizes [width, height] in input pixels."), default: .array([])),
      .init(
        "stride", .int(min: 0, "YOLO heads: input pixels per grid cell; 0 takes input height / grid height."),
        default: 0),
      .init("classes", .int(min: 0, "Logits and YOLO heads: the class count; 0 takes the dataset's."), default: 0),
    ], doc: "What one output of an imported model is for.")
}
