/// Settings of a ``DataLoader``: batching, output format, normalisation, augmentation and
/// prefetching. Every field has a default, so `{}` in an experiment file is valid.
public struct LoaderConfig: Codable, Sendable, Equatable {
  /// Images per batch.
  public var batchSize: Int = 32
  /// Whether to visit images in a seeded random order (a new order each epoch).
  public var shuffle: Bool = true
  /// Whether to drop a last, smaller batch.
  public var dropLast: Bool = false
  /// Output channels: 1 converts to grayscale (BT.601 luma), 3 repeats gray; `nil` keeps them.
  public var channels: Int?
  /// Output width and height; `nil` keeps the stored size.
  public var width: Int?
  public var height: Int?
  /// When the output size differs, scale uniformly and pad (true) or stretch (false).
  public var letterbox: Bool = false
  /// Per-channel mean and standard deviation applied after scaling pixels to 0...1:
  /// `(x / 255 - mean) / std`. One value applies to every channel.
  public var mean: [Float] = [0]
  public var std: [Float] = [1]
  /// Random augmentation; the default does none.
  public var augmentation = Augmentation()
  /// Batches prepared ahead on a background thread; 0 prepares them on the caller's thread.
  public var prefetch: Int = 2

  /// Defaults.
  public init() {}

  /// Throws ``DatasetError/invalidArgument(_:)`` for unusable settings.
  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw DatasetError.invalidArgument("loader: \(message).") }
    }
    try check(batchSize >= 1, "batchSize must be at least 1")
    try check(channels.map { $0 == 1 || $0 == 3 } ?? true, "channels must be 1 or 3")
    try check((width ?? 1) >= 1 && (height ?? 1) >= 1, "width and height must be positive")
    try check(
      !mean.isEmpty && !std.isEmpty && std.allSatisfy { $0 != 0 }, "mean and std need values and std must be non-zero")
    try check(prefetch >= 0, "prefetch must be non-negative")
    try augmentation.validate()
  }
}

/// Random per-image augmentation. Geometric changes move boxes with the pixels.
public struct Augmentation: Codable, Sendable, Equatable {
  /// Probability of a horizontal flip.
  public var flipProbability: Float = 0
  /// Range of a random zoom factor (>1 crops in, <1 shrinks with padding).
  public var minScale: Float = 1
  public var maxScale: Float = 1
  /// Largest random shift, as a fraction of the output size, in each direction.
  public var translate: Float = 0
  /// Largest brightness offset (fraction of full scale), contrast factor change, hue rotation
  /// (fraction of a full turn), saturation and value factor changes. 0 disables each.
  public var brightness: Float = 0
  public var contrast: Float = 0
  public var hue: Float = 0
  public var saturation: Float = 0
  public var value: Float = 0
  /// Boxes keeping less than this fraction of their area after cropping are dropped.
  public var minBoxVisibility: Float = 0.3

  /// No augmentation.
  public init() {}

  func validate() throws {
    guard minScale > 0, minScale <= maxScale, translate >= 0, (0...1).contains(flipProbability),
      [brightness, contrast, hue, saturation, value].allSatisfy({ $0 >= 0 })
    else {
      throw DatasetError.invalidArgument(
        "loader: augmentation needs 0 < minScale <= maxScale, flipProbability in 0...1 and non-negative jitters.")
    }
  }
}
