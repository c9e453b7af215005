import Support

/// The `data` section: where the dataset comes from. Owned by ``DataStage``.
public struct DataSettings: Codable, Equatable, Sendable {
  /// A built-in generator or an existing dataset file.
  public enum Source: String, SettingChoice {
    /// Synthetic detection data (circles, rectangles, triangles on textured backgrounds).
    case shapes
    /// Synthetic handwritten-style digits 0–9 for classification.
    case digits
    /// Synthetic face identities with an LFW-style pair protocol.
    case faces
    /// A Workbench dataset file (HDF5, format v1) at `path`.
    case file
  }

  /// Built-in generator, or an existing Workbench dataset file.
  public var source: Source
  /// Dataset file (HDF5, format v1) when source is "file".
  public var path: String
  /// Square image size in pixels (generators).
  public var imageSize: Int
  /// 1 (grayscale) or 3 (RGB).
  public var channels: Int
  /// Training images (generators).
  public var train: Int
  /// Validation images (generators).
  public var val: Int
  /// Identities (faces generator).
  public var identities: Int
  /// Images per identity (faces generator).
  public var imagesPerIdentity: Int
  /// Maximum objects per image (shapes generator).
  public var maxObjects: Int
  /// Identities of the disjoint LFW-style test split (faces generator).
  public var testIdentities: Int
  /// Images per test identity (faces generator).
  public var testImagesPerIdentity: Int
  /// Matched (and as many mismatched) pairs per fold of the 10 LFW folds (faces generator).
  public var pairsPerFold: Int

  /// Fields, ranges, defaults and documentation of the section.
  static let schema = Schema.object(
    fields: [
      .init(
        "source", .choice(Source.self, "Built-in generator, or an existing Workbench dataset file."), default: "shapes"),
      .init("path", .string(choices: nil, doc: "Dataset file (HDF5, format v1) when source is \"file\"."), default: ""),
      .init("image_size", .int(min: 16, max: 1024, "Square image size in pixels (generators)."), default: 64),
      .init("channels", .int(min: 1, max: 3, "1 (grayscale) or 3 (RGB)."), default: 3),
      .init("train", .int(min: 1, "Training images (generators)."), default: 2000),
      .init("val", .int(min: 1, "Validation images (generators)."), default: 400),
      .init("identities", .int(min: 4, "Identities (faces generator)."), default: 200),
      .init("images_per_identity", .int(min: 2, "Images per identity (faces generator)."), default: 10),
      .init("max_objects", .int(min: 1, "Maximum objects per image (shapes generator)."), default: 4),
      .init(
        "test_identities", .int(min: 2, "Identities of the disjoint LFW-style test split (faces generator)."),
        default: 100),
      .init("test_images_per_identity", .int(min: 2, "Images per test identity (faces generator)."), default: 6),
      .init(
        "pairs_per_fold",
        .int(min: 1, "Matched (and as many mismatched) pairs per fold of the 10 LFW folds (faces generator)."),
        default: 300),
    ], doc: "Where the data comes from.")
}
