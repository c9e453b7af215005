/// Per-layer costs of a graph, their totals, and the peak activation memory of running the
/// nodes one after another.
///
/// Conventions, chosen to reproduce published figures: parameters are the trainable tensors
/// (weights, biases, BatchNorm γ and β; PyTorch's `sum(p.numel() for p in model.parameters())`),
/// MACs count only the multiply-accumulates of convolutions and dense layers (no bias adds,
/// pooling, activations or BatchNorm), and bytes assume float32. SqueezeNet 1.1 at 224×224
/// with 1000 classes gives 1,235,496 parameters and 349,151,936 MACs; MobileNet v1 1.0 gives
/// 4,231,976 parameters and 568,740,352 MACs (the paper's "569 million mult-adds").
public struct CostReport: Codable, Equatable, Sendable {
  /// The graph's name.
  public var model: String
  /// One row per node, in node order.
  public var layers: [LayerCost]
  /// Sum of trainable parameters.
  public var totalParameters: Int
  /// Sum of BatchNorm running-statistic elements.
  public var totalBuffers: Int
  /// Sum of multiply-accumulates per sample.
  public var totalMACs: Int
  /// Sum of every node's output bytes (what a framework that keeps all activations needs).
  public var totalActivationBytes: Int
  /// Bytes of graph inputs.
  public var inputBytes: Int
  /// The largest number of activation bytes alive at once when the nodes run in order and each
  /// value is freed after its last reader (inputs included, graph outputs kept to the end).
  public var peakActivationBytes: Int
  /// The node during which the peak is reached.
  public var peakNode: String

  /// Parameter bytes at `bytesPerParameter` (4 for float32, 2 for GAP8's int16, 1 for int8).
  public func parameterBytes(bytesPerParameter: Int = 4) -> Int { totalParameters * bytesPerParameter }
}
