import Tensors

/// A parameter or buffer of a node: its shape, whether training updates it, and optionally its
/// value.
public struct Parameter: Codable, Equatable, Sendable {
  /// Whether an optimizer updates the tensor (weights, biases, BatchNorm γ and β) or it is a
  /// statistic (BatchNorm running mean and variance, PyTorch's "buffers").
  public enum Kind: String, Codable, Sendable {
    /// Updated by the optimizer and counted as a parameter.
    case trainable
    /// A statistic, saved with the weights but not counted or trained.
    case buffer
  }

  /// The tensor's shape (PyTorch's layout: OIHW for conv weights, `[out, in]` for dense).
  public var shape: [Int]
  /// Trainable or a buffer.
  public var kind: Kind
  /// The value, when known.
  public var value: Tensor<Float>?

  /// Creates a parameter description.
  public init(shape: [Int], kind: Kind = .trainable, value: Tensor<Float>? = nil) {
    precondition(value == nil || value?.shape == shape, "Parameter: value shape does not match \(shape)")
    self.shape = shape
    self.kind = kind
    self.value = value
  }

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }

  /// The graph-wide name of a node's parameter: `"<node>.<role>"`.
  public static func key(node: String, role: String) -> String { "\(node).\(role)" }
}
