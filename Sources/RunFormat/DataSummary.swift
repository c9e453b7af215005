/// `stages/data/summary.json`: the dataset's task, image size, classes and splits.
public struct DataSummary: Codable, Equatable, Sendable {
  /// `detection`, `identity` or `classification`.
  public var kind: String?
  /// `[height, width, channels]`.
  public var imageSize: [Int]?
  /// Class names by index.
  public var classNames: [String]
  /// Splits by name.
  public var splits: [String: Split]
  /// The dataset's content hash.
  public var contentHash: String?
  /// Where the data came from (the dataset's `source` attribute).
  public var source: String?

  enum CodingKeys: String, CodingKey {
    case kind, imageSize = "image_size", classNames = "class_names", splits
    case contentHash = "content_hash", source
  }

  /// Creates a summary.
  public init(
    kind: String?, imageSize: [Int]?, classNames: [String], splits: [String: Split], contentHash: String?,
    source: String? = nil
  ) {
    self.kind = kind
    self.imageSize = imageSize
    self.classNames = classNames
    self.splits = splits
    self.contentHash = contentHash
    self.source = source
  }

  /// Decodes leniently: absent fields are `nil` or empty.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    kind = try c.decodeIfPresent(String.self, forKey: .kind)
    imageSize = try c.decodeIfPresent([Int].self, forKey: .imageSize)
    classNames = try c.decodeIfPresent([String].self, forKey: .classNames) ?? []
    splits = try c.decodeIfPresent([String: Split].self, forKey: .splits) ?? [:]
    contentHash = try c.decodeIfPresent(String.self, forKey: .contentHash)
    source = try c.decodeIfPresent(String.self, forKey: .source)
  }

  /// Split names in display order: train, val, test, then others alphabetically.
  public var splitNames: [String] {
    let known = ["train", "val", "validation", "test"]
    return known.filter { splits[$0] != nil } + splits.keys.filter { !known.contains($0) }.sorted()
  }

  /// One split's sizes.
  public struct Split: Codable, Equatable, Sendable {
    /// Number of images.
    public var images: Int?
    /// Number of boxes (detection).
    public var boxes: Int?
    /// Images without any box (detection).
    public var emptyImages: Int?
    /// Boxes or images per class, by class index.
    public var classHistogram: [Double]?
    /// Number of identities (identity data).
    public var identities: Int?
    /// Number of verification pairs (identity data).
    public var pairs: Int?

    enum CodingKeys: String, CodingKey {
      case images, boxes, emptyImages = "empty_images", classHistogram = "class_histogram", identities, pairs
    }

    /// Creates a split summary.
    public init(
      images: Int?, boxes: Int? = nil, emptyImages: Int? = nil, classHistogram: [Double]? = nil, identities: Int? = nil,
      pairs: Int? = nil
    ) {
      self.images = images
      self.boxes = boxes
      self.emptyImages = emptyImages
      self.classHistogram = classHistogram
      self.identities = identities
      self.pairs = pairs
    }
  }
}
