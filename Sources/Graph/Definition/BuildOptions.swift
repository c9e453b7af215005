/// Multipliers and overrides applied when a ``ModelDefinition`` becomes a graph.
///
/// - `width` scales channels (MobileNets' α, Howard et al. 2017; Ultralytics' `width_multiple`):
///   a scaled count is rounded to the definition's `channelMultiple` (never below it, and never
///   more than 10% below the exact product). At exactly 1.0 channels are used as written.
///   Layers marked `"scaleWidth": false` (inputs adapters, classifiers, YOLO heads) keep theirs.
/// - `depth` scales the `count` of `repeat` blocks: `max(1, round(count · depth))`.
/// - `resolution` scales the input height and width (MobileNets' ρ), rounded to the input's
///   `sizeMultiple`; YOLO anchors, in input pixels, scale with it.
public struct BuildOptions: Equatable, Sendable {
  /// Channel multiplier.
  public var width: Double
  /// Repeat multiplier.
  public var depth: Double
  /// Input resolution multiplier.
  public var resolution: Double
  /// Overrides the definition's `classes`.
  public var classes: Int?
  /// Overrides the definition's input size `[height, width]` in pixels; `resolution` then
  /// scales this size instead of the definition's.
  public var inputSize: [Int]?
  /// Overrides the input channels (e.g. 3 to feed RGB to a model defined for grayscale).
  public var inputChannels: Int?

  /// Creates options; the defaults build the definition as written.
  public init(
    width: Double = 1, depth: Double = 1, resolution: Double = 1, classes: Int? = nil, inputSize: [Int]? = nil,
    inputChannels: Int? = nil
  ) {
    self.width = width
    self.depth = depth
    self.resolution = resolution
    self.classes = classes
    self.inputSize = inputSize
    self.inputChannels = inputChannels
  }

  /// The channel count for `channels` written in the definition.
  public func scaledChannels(_ channels: Int, multiple: Int) -> Int {
    guard width != 1 else { return channels }
    let exact = Double(channels) * width
    var rounded = max(multiple, Int((exact + Double(multiple) / 2) / Double(multiple)) * multiple)
    if Double(rounded) < 0.9 * exact { rounded += multiple }
    return rounded
  }

  /// The repeat count for `count` written in the definition.
  public func scaledRepeats(_ count: Int) -> Int {
    guard depth != 1 else { return count }
    return max(1, Int((Double(count) * depth).rounded()))
  }

  /// The input extent for `size` written in the definition.
  public func scaledSize(_ size: Int, multiple: Int) -> Int {
    guard resolution != 1 else { return size }
    return max(multiple, Int((Double(size) * resolution / Double(multiple)).rounded()) * multiple)
  }
}
