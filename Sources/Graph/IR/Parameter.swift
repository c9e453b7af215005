import Tensors

/// A parameter or buffer of a node: its shape, whether training updates it, its element type
/// and optionally its value.
///
/// Float models hold `float32` values (``value``); quantized models hold integer values
/// (``data``, e.g. `int8` weights and `int32` biases) so that exporters read them as they are.
/// In `model.json` the element type is written only when it is not `float32`, so float models
/// keep the format they had before element types existed, and such files decode as `float32`.
public struct Parameter: Codable, Equatable, Sendable {
  /// Whether an optimizer updates the tensor (weights, biases, BatchNorm γ and β) or it is a
  /// statistic (BatchNorm running mean and variance, PyTorch's "buffers").
  public enum Kind: String, Codable, Sendable {
    /// Updated by the optimizer and counted as a parameter.
    case trainable
    /// A statistic, saved with the weights but not counted or trained.
    case buffer
  }

  /// The scalar type of the stored values: `float32` for training and float evaluation, the
  /// integer types for quantized models (K210 uses `uint8`, GAP8 `int8`/`int16`, biases and
  /// accumulators `int32`). The raw values are the names used in files (`model.json`, HDF5).
  public enum ElementType: String, Codable, CaseIterable, Sendable {
    case float32, int8, uint8, int16, int32

    /// Bytes per element.
    public var byteCount: Int {
      switch self {
      case .int8, .uint8: return 1
      case .int16: return 2
      case .float32, .int32: return 4
      }
    }
  }

  /// The tensor's shape (PyTorch's layout: OIHW for conv weights, `[out, in]` for dense).
  public var shape: [Int]
  /// Trainable or a buffer.
  public var kind: Kind
  /// The element type; follows ``data`` whenever a value is set, and stays when it is cleared
  /// (a shape-only graph still says which type its weight file holds).
  public var elementType: ElementType
  /// The values, when known, typed by ``elementType``.
  public var data: ParameterData? {
    didSet { if let data { elementType = data.elementType } }
  }

  /// Creates a float32 parameter description.
  public init(shape: [Int], kind: Kind = .trainable, value: Tensor<Float>? = nil) {
    self.init(shape: shape, kind: kind, elementType: .float32, data: value.map(ParameterData.float32))
  }

  /// Creates a parameter of any element type; `data`, when given, must have that type and shape.
  public init(shape: [Int], kind: Kind = .trainable, elementType: ElementType, data: ParameterData? = nil) {
    precondition(data == nil || data?.shape == shape, "Parameter: value shape does not match \(shape)")
    precondition(
      data == nil || data?.elementType == elementType, "Parameter: \(elementType.rawValue) parameter given other data")
    self.shape = shape
    self.kind = kind
    self.elementType = elementType
    self.data = data
  }

  /// The float32 value, when known; `nil` for integer parameters. Setting a tensor makes the
  /// parameter float32; setting `nil` clears the value of any type.
  public var value: Tensor<Float>? {
    get {
      guard case let .float32(tensor)? = data else { return nil }
      return tensor
    }
    set { data = newValue.map(ParameterData.float32) }
  }

  /// Whether the parameter holds values (of any element type).
  public var hasValue: Bool { data != nil }

  /// Number of elements.
  public var count: Int { shape.reduce(1, *) }

  /// The graph-wide name of a node's parameter: `"<node>.<role>"`.
  public static func key(node: String, role: String) -> String { "\(node).\(role)" }

  private enum CodingKeys: String, CodingKey { case shape, kind, elementType, value }

  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    shape = try c.decode([Int].self, forKey: .shape)
    kind = try c.decode(Kind.self, forKey: .kind)
    elementType = try c.decodeIfPresent(ElementType.self, forKey: .elementType) ?? .float32
    data = try ParameterData.decode(elementType, from: c, forKey: .value)
  }

  public func encode(to encoder: Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(shape, forKey: .shape)
    try c.encode(kind, forKey: .kind)
    if elementType != .float32 { try c.encode(elementType, forKey: .elementType) }
    try data?.encode(to: &c, forKey: .value)
  }
}
