/// `stages/compress/compression.json`: the part a report reads of Compression's summary — the
/// model's totals before pruning, after pruning and fine-tuning, and as deployed (BatchNorm
/// folded), and each layer's channels before and after.
public struct CompressionRecord: Codable, Equatable, Sendable {
  /// Totals of one form of the model.
  public struct Totals: Codable, Equatable, Sendable {
    /// Parameters, MACs per image, the peak of live activation bytes, and weight bytes.
    public var parameters: Int, macs: Int, peakActivationBytes: Int, weightBytes: Int

    /// Creates totals.
    public init(parameters: Int, macs: Int, peakActivationBytes: Int, weightBytes: Int) {
      (self.parameters, self.macs, self.peakActivationBytes, self.weightBytes) =
        (parameters, macs, peakActivationBytes, weightBytes)
    }
  }

  /// One layer's output channels, [before, after].
  public struct Layer: Codable, Equatable, Sendable {
    /// The node.
    public var node: String
    /// Channels before and after.
    public var channels: [Int]

    /// Creates a layer record.
    public init(node: String, channels: [Int]) { (self.node, self.channels) = (node, channels) }
  }

  /// The trained model, the pruned and fine-tuned one, and its deployment graph.
  public var before: Totals, after: Totals, deployed: Totals?
  /// Per-layer channels.
  public var layers: [Layer]
  /// The final pruning ratio asked of each channel group (by group id, the first producer's
  /// name), when the stage recorded it: uniform, per layer, or chosen from the sensitivity
  /// curves.
  public var ratios: [String: Double]?

  /// Creates a record.
  public init(before: Totals, after: Totals, deployed: Totals?, layers: [Layer], ratios: [String: Double]? = nil) {
    (self.before, self.after, self.deployed, self.layers, self.ratios) = (before, after, deployed, layers, ratios)
  }
}
