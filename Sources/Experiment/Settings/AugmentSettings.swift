import Datasets
import Support

/// `train.augment`.
public struct AugmentSettings: Codable, Equatable, Sendable {
  /// Probability of a horizontal flip.
  public var flip: Double
  /// Random scale jitter (±fraction).
  public var scale: Double
  /// Random translation (fraction of the size).
  public var translate: Double
  /// Brightness jitter.
  public var brightness: Double
  /// Contrast jitter.
  public var contrast: Double

  static let schema = Schema.object(
    fields: [
      .init("flip", .fraction("Probability of a horizontal flip."), default: 0.5),
      .init("scale", .fraction("Random scale jitter (±fraction)."), default: 0.1),
      .init("translate", .fraction("Random translation (fraction of the size)."), default: 0.1),
      .init("brightness", .fraction("Brightness jitter."), default: 0.1),
      .init("contrast", .fraction("Contrast jitter."), default: 0.1),
    ], doc: "Training-time augmentation.")

  /// The Datasets library's augmentation.
  public var augmentation: Augmentation {
    var g = Augmentation()
    g.flipProbability = Float(flip)
    g.minScale = Float(1 - scale)
    g.maxScale = Float(1 + scale)
    g.translate = Float(translate)
    g.brightness = Float(brightness)
    g.contrast = Float(contrast)
    return g
  }
}
