/// The declarative part of an op: how many inputs it takes, which attributes it accepts (with
/// type, default and a one-line doc) and which parameters it owns. Validation checks nodes
/// against it; documentation and the `inspect` command print it.
public struct OpSchema: Sendable {
  /// One accepted attribute.
  public struct AttributeSpec: Sendable {
    /// The attribute's name.
    public var name: String
    /// The expected tag (`"int"`, `"ints"`, `"float"`, `"bool"`, …).
    public var type: String
    /// The value used when the node omits it, or nil if it is required.
    public var defaultValue: Attribute?
    /// One line saying what it does.
    public var doc: String

    /// Creates an attribute spec.
    public init(_ name: String, _ type: String, default defaultValue: Attribute?, _ doc: String) {
      self.name = name
      self.type = type
      self.defaultValue = defaultValue
      self.doc = doc
    }
  }

  /// Accepted input counts (e.g. `1...1`, or `2...` for Concat).
  public var inputCount: ClosedRange<Int>
  /// Accepted attributes.
  public var attributes: [AttributeSpec]
  /// One line describing the op, with its paper where it has one.
  public var summary: String

  /// Creates a schema.
  public init(summary: String, inputCount: ClosedRange<Int> = 1...1, attributes: [AttributeSpec] = []) {
    self.summary = summary
    self.inputCount = inputCount
    self.attributes = attributes
  }
}
