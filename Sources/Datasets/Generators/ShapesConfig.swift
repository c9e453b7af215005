/// Settings of the `shapes` detection generator; every field has a default.
public struct ShapesConfig: Codable, Sendable, Equatable {
  /// Seed of all randomness; same seed and settings give a byte-identical file.
  public var seed: UInt64 = 0
  /// Image width and height in pixels.
  public var width: Int = 64
  public var height: Int = 64
  /// 1 (gray) or 3 (RGB).
  public var channels: Int = 3
  /// Images per split.
  public var trainCount: Int = 2000
  public var valCount: Int = 200
  public var testCount: Int = 200
  /// Objects per non-empty image: 1...maxObjects.
  public var maxObjects: Int = 4
  /// Object size (bounding-box side) as a fraction of the shorter image side.
  public var minSize: Double = 0.12
  public var maxSize: Double = 0.45
  /// Fraction of images with no object at all.
  public var emptyFraction: Double = 0.08
  /// Largest allowed IoU between two objects' boxes (overlaps happen below it).
  public var maxOverlap: Double = 0.35
  /// Standard deviation of the per-pixel Gaussian noise, in 0...255 units.
  public var noise: Double = 8

  /// The class names, in class-index order.
  public static let classNames = ["circle", "rectangle", "triangle"]

  /// Defaults.
  public init() {}

  /// Throws ``DatasetError/invalidArgument(_:)`` naming the first unusable setting.
  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw DatasetError.invalidArgument("shapes: \(message).") }
    }
    try check(width >= 16 && height >= 16, "width and height must be at least 16, got \(width)x\(height)")
    try check(channels == 1 || channels == 3, "channels must be 1 or 3, got \(channels)")
    try check(
      trainCount >= 0 && valCount >= 0 && testCount >= 0 && trainCount + valCount + testCount > 0,
      "split counts must be non-negative and not all zero")
    try check(maxObjects >= 1, "maxObjects must be at least 1")
    try check(minSize > 0 && minSize <= maxSize && maxSize <= 0.95, "need 0 < minSize <= maxSize <= 0.95")
    try check((0...1).contains(emptyFraction), "emptyFraction must be within 0...1")
    try check(noise >= 0, "noise must be non-negative")
  }

  /// The provenance string stored in the dataset's `source` attribute.
  var sourceDescription: String {
    "generated:shapes seed=\(seed) size=\(width)x\(height)x\(channels) counts=\(trainCount)/\(valCount)/\(testCount) "
      + "maxObjects=\(maxObjects) sizes=\(minSize)...\(maxSize) empty=\(emptyFraction) overlap=\(maxOverlap) noise=\(noise)"
  }
}
