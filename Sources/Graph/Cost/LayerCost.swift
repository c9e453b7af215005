/// The cost of one node, per sample: what the per-layer table of `workbench inspect model`
/// shows.
public struct LayerCost: Codable, Equatable, Sendable {
  /// The node's name.
  public var node: String
  /// The op kind.
  public var op: OpKind
  /// The output shape (batch axis first).
  public var outputShape: [Int]
  /// Trainable parameters (BatchNorm running statistics excluded, as PyTorch counts).
  public var parameters: Int
  /// BatchNorm running statistics (PyTorch's buffers).
  public var buffers: Int
  /// Multiply-accumulates of convolutions and dense layers.
  public var macs: Int
  /// Bytes of the output activation as float32.
  public var activationBytes: Int

  /// Creates a row.
  public init(
    node: String, op: OpKind, outputShape: [Int], parameters: Int, buffers: Int, macs: Int, activationBytes: Int
  ) {
    self.node = node
    self.op = op
    self.outputShape = outputShape
    self.parameters = parameters
    self.buffers = buffers
    self.macs = macs
    self.activationBytes = activationBytes
  }
}
