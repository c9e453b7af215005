/// `stages/model/cost.json`: per-layer parameters, MACs and activation bytes, and totals.
/// Written by the model stage from Graph's cost analysis, read by reports.
public struct ModelCost: Codable, Equatable, Sendable {
  /// The model's name.
  public var model: String?
  /// One row per layer, in execution order.
  public var layers: [Layer]
  /// Totals over the model.
  public var totals: Totals

  /// One layer's cost.
  public struct Layer: Codable, Equatable, Sendable {
    /// Node name.
    public var name: String
    /// Op kind.
    public var op: String
    /// Output shape, batch first.
    public var outputShape: [Int]
    /// Trainable parameters.
    public var parameters: Int
    /// Multiply-accumulates per sample.
    public var macs: Int
    /// Bytes of the output activation.
    public var activationBytes: Int

    enum CodingKeys: String, CodingKey {
      case name, op, outputShape = "output_shape", parameters, macs, activationBytes = "activation_bytes"
    }

    /// Creates a row.
    public init(name: String, op: String, outputShape: [Int], parameters: Int, macs: Int, activationBytes: Int) {
      self.name = name
      self.op = op
      self.outputShape = outputShape
      self.parameters = parameters
      self.macs = macs
      self.activationBytes = activationBytes
    }
  }

  /// Model totals.
  public struct Totals: Codable, Equatable, Sendable {
    /// Trainable parameters.
    public var parameters: Int
    /// Multiply-accumulates per sample.
    public var macs: Int
    /// Sum of every layer's output activation bytes.
    public var activationBytes: Int?
    /// The peak of live activation bytes during one inference.
    public var peakActivationBytes: Int?
    /// The node at which the peak occurs.
    public var peakNode: String?

    enum CodingKeys: String, CodingKey {
      case parameters, macs, activationBytes = "activation_bytes", peakActivationBytes = "peak_activation_bytes"
      case peakNode = "peak_node"
    }

    /// Creates totals.
    public init(
      parameters: Int, macs: Int, activationBytes: Int? = nil, peakActivationBytes: Int? = nil, peakNode: String? = nil
    ) {
      self.parameters = parameters
      self.macs = macs
      self.activationBytes = activationBytes
      self.peakActivationBytes = peakActivationBytes
      self.peakNode = peakNode
    }
  }

  /// Creates a cost table.
  public init(model: String?, layers: [Layer], totals: Totals) {
    self.model = model
    self.layers = layers
    self.totals = totals
  }

  /// Total trainable parameters.
  public var totalParameters: Int { totals.parameters }
  /// Total multiply-accumulates per sample.
  public var totalMACs: Int { totals.macs }
  /// The peak of live activation bytes, if recorded.
  public var peakActivationBytes: Int? { totals.peakActivationBytes }
}
