/// Settings of the `digits` classification generator; every field has a default.
///
/// The defaults are meant to be hard enough that a small CNN needs real training to do well:
/// each image is a stroke-drawn digit under a random affine map (scale, aspect, rotation, shear,
/// shift), with a random stroke width, on a textured background, among distractor strokes and
/// with Gaussian pixel noise.
public struct DigitsConfig: Codable, Sendable, Equatable {
  /// Seed of all randomness; same seed and settings give a byte-identical file.
  public var seed: UInt64 = 0
  /// Image width and height in pixels.
  public var width: Int = 32
  public var height: Int = 32
  /// 1 (gray) or 3 (RGB).
  public var channels: Int = 1
  /// Images per split; labels within a split are balanced (class counts differ by at most 1).
  public var trainCount: Int = 5000
  public var valCount: Int = 1000
  public var testCount: Int = 0
  /// Glyph height as a fraction of the shorter image side, drawn uniformly in `minScale...maxScale`.
  public var minScale: Double = 0.5
  public var maxScale: Double = 0.85
  /// Largest rotation, in degrees either way.
  public var maxRotation: Double = 25
  /// Largest horizontal shear (x += shear · y), either way.
  public var maxShear: Double = 0.3
  /// Largest shift of the glyph centre from the image centre, as a fraction of the image side.
  public var maxShift: Double = 0.12
  /// Stroke width as a fraction of the glyph height, drawn in `minStroke...maxStroke`.
  public var minStroke: Double = 0.07
  public var maxStroke: Double = 0.16
  /// Distractor strokes per image: 0...clutter, each a short random line or arc piece.
  public var clutter: Int = 3
  /// Standard deviation of the per-pixel Gaussian noise, in 0...255 units.
  public var noise: Double = 14

  /// The class names, in class-index order: the digit each class draws.
  public static let classNames = (0...9).map(String.init)

  /// Defaults.
  public init() {}

  /// Throws ``DatasetError/invalidArgument(_:)`` naming the first unusable setting.
  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw DatasetError.invalidArgument("digits: \(message).") }
    }
    try check(width >= 16 && height >= 16, "width and height must be at least 16, got \(width)x\(height)")
    try check(channels == 1 || channels == 3, "channels must be 1 or 3, got \(channels)")
    try check(
      trainCount >= 0 && valCount >= 0 && testCount >= 0 && trainCount + valCount + testCount > 0,
      "split counts must be non-negative and not all zero")
    try check(
      minScale > 0 && minScale <= maxScale && maxScale <= 1,
      "need 0 < minScale <= maxScale <= 1, got \(minScale)...\(maxScale)")
    try check((0...90).contains(maxRotation), "maxRotation must be within 0...90 degrees, got \(maxRotation)")
    try check((0...1).contains(maxShear), "maxShear must be within 0...1, got \(maxShear)")
    try check((0...0.4).contains(maxShift), "maxShift must be within 0...0.4, got \(maxShift)")
    try check(
      minStroke > 0 && minStroke <= maxStroke && maxStroke <= 0.4,
      "need 0 < minStroke <= maxStroke <= 0.4, got \(minStroke)...\(maxStroke)")
    try check(clutter >= 0 && clutter <= 20, "clutter must be within 0...20, got \(clutter)")
    try check(noise >= 0, "noise must be non-negative, got \(noise)")
  }

  /// The provenance string stored in the dataset's `source` attribute.
  var sourceDescription: String {
    "generated:digits seed=\(seed) size=\(width)x\(height)x\(channels) counts=\(trainCount)/\(valCount)/\(testCount) "
      + "scale=\(minScale)...\(maxScale) rotation=\(maxRotation) shear=\(maxShear) shift=\(maxShift) "
      + "stroke=\(minStroke)...\(maxStroke) clutter=\(clutter) noise=\(noise)"
  }
}
