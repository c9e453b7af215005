/// A named tensor of the graph and its shape (NCHW or NC, batch axis first with extent 1).
public struct ValueInfo: Codable, Equatable, Hashable, Sendable {
  /// The value's unique name; node inputs and outputs refer to values by this name.
  public var name: String
  /// The value's shape, batch axis first.
  public var shape: [Int]

  /// Creates a value description.
  public init(name: String, shape: [Int]) {
    self.name = name
    self.shape = shape
  }

  /// Number of elements per sample (the batch axis excluded).
  public var elementsPerSample: Int { shape.dropFirst().reduce(1, *) }
}
