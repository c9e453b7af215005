import Support

/// The `model` section: which network, scaled how. Owned by ``ModelStage``.
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
    ], doc: "The network.")
}
