/// Settings of the `faces` identity generator; every field has a default.
///
/// The defaults give 500 training identities × 10 images and a disjoint test set of 200
/// identities × 6 images, enough for the LFW protocol of 10 folds × (300 matched + 300
/// mismatched) pairs with identities disjoint across folds.
public struct FacesConfig: Codable, Sendable, Equatable {
  /// Seed of all randomness; same seed and settings give a byte-identical file.
  public var seed: UInt64 = 0
  /// Image width and height in pixels.
  public var width: Int = 64
  public var height: Int = 64
  /// 1 (gray) or 3 (RGB).
  public var channels: Int = 1
  /// Identities and images per identity in the train split.
  public var trainIdentities: Int = 500
  public var imagesPerTrainIdentity: Int = 10
  /// Identities and images per identity in the test split (disjoint from train).
  public var testIdentities: Int = 200
  public var imagesPerTestIdentity: Int = 6
  /// Verification folds and matched (= mismatched) pairs per fold; fewer are written when the
  /// test split cannot supply them.
  public var folds: Int = 10
  public var pairsPerFold: Int = 300
  /// Strength of per-image nuisance (pose, scale, light, expression, blur, noise); 1 is the
  /// default difficulty, 0 renders every image of an identity identically.
  public var nuisance: Double = 1

  /// Defaults.
  public init() {}

  /// Throws ``DatasetError/invalidArgument(_:)`` naming the first unusable setting.
  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw DatasetError.invalidArgument("faces: \(message).") }
    }
    try check(width >= 24 && height >= 24, "width and height must be at least 24, got \(width)x\(height)")
    try check(channels == 1 || channels == 3, "channels must be 1 or 3, got \(channels)")
    try check(
      trainIdentities >= 0 && imagesPerTrainIdentity >= 1, "need trainIdentities >= 0 and imagesPerTrainIdentity >= 1")
    try check(
      folds >= 1 && testIdentities >= 2 * folds,
      "testIdentities (\(testIdentities)) must be at least 2 per fold (\(folds) folds)")
    try check(imagesPerTestIdentity >= 2, "imagesPerTestIdentity must be at least 2 for matched pairs")
    try check(pairsPerFold >= 1, "pairsPerFold must be at least 1")
    try check(nuisance >= 0, "nuisance must be non-negative")
  }

  var sourceDescription: String {
    "generated:faces seed=\(seed) size=\(width)x\(height)x\(channels) train=\(trainIdentities)x\(imagesPerTrainIdentity) "
      + "test=\(testIdentities)x\(imagesPerTestIdentity) folds=\(folds)x\(pairsPerFold) nuisance=\(nuisance)"
  }
}
