import Support

/// The `model` section: which network, scaled how — or an ONNX file to import. Owned by
/// ``ModelStage``.
///
/// `resolution` is a multiplier everywhere in Workbench (here, in the zoo's `BuildOptions` and
/// in `workbench inspect model --resolution`); a size in pixels is called `input_size`.
public struct ModelSettings: Codable, Equatable, Sendable {
  /// A built-in model name (tiny-yolo, tiny-yolo-shapes, squeezenet1.1-reid, squeezenet1.1, mobilenet-v1) or a path to a JSON model definition.
  public var zoo: String
  /// Width multiplier (channels).
  public var width: Double
  /// Depth multiplier (block repeats).
  public var depth: Double
  /// Input resolution multiplier applied to input_size (MobileNets' ρ), rounded to the definition's size multiple.
  public var resolution: Double
  /// Input height and width in pixels; 0 takes the data's image size.
  public var inputSize: Int
  /// An ONNX model to import instead of building `zoo` (path relative to the experiment file);
  /// it starts from the file's weights, and `train` becomes optional.
  public var onnx: String?
  /// What the imported model's outputs are for (roles, anchors, strides); empty: a single
  /// output is classification logits or a descriptor, as the data need.
  public var outputs: [ModelOutputSettings]?

  static let schema = Schema.object(
    fields: [
      .init(
        "zoo",
        .string(
          choices: nil,
          doc:
            "A built-in model name (tiny-yolo, tiny-yolo-shapes, squeezenet1.1-reid, squeezenet1.1, mobilenet-v1) or a path to a JSON model definition."
        ), default: "tiny-yolo"),
      .init("width", .positive("Width multiplier (channels)."), default: 1),
      .init("depth", .positive("Depth multiplier (block repeats)."), default: 1),
      .init(
        "resolution",
        .positive(
          "Input resolution multiplier applied to input_size (MobileNets' ρ), rounded to the definition's size multiple."
        ), default: 1),
      .init("input_size", .int(min: 0, "Input height and width in pixels; 0 takes the data's image size."), default: 0),
      .init(
        "onnx",
        .string(
          choices: nil,
          doc:
            "An ONNX model file to import instead of building `zoo` (relative to the experiment file): it starts from the file's weights, and without a `train` section it is not trained."
        ), optional: true),
      .init(
        "outputs",
        .array(
          of: ModelOutputSettings.schema, minItems: 0,
          doc:
            "ONNX models: what each output is for. Empty: a single output is the classifier's logits (classification data) or the descriptor (identity data); detection needs its YOLO heads declared."
        ), optional: true),
    ], doc: "The network.")
}
