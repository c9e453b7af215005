/// One operation of a ``ModelGraph``: an op kind, its attributes, and the names of the values
/// it reads and writes (ONNX `NodeProto`). Parameters are not listed as inputs; they are found
/// by name, `"<node>.<role>"`, in ``ModelGraph/parameters``.
public struct Node: Codable, Equatable, Sendable {
  /// The node's unique name (also the prefix of its parameter names).
  public var name: String
  /// What the node computes.
  public var op: OpKind
  /// Names of the values read, in the op's order.
  public var inputs: [String]
  /// Names of the values written.
  public var outputs: [String]
  /// Op attributes by name; missing ones take the defaults of the op's schema.
  public var attributes: [String: Attribute]

  /// Creates a node.
  public init(
    name: String, op: OpKind, inputs: [String], outputs: [String],
    attributes: [String: Attribute] = [:]
  ) {
    self.name = name
    self.op = op
    self.inputs = inputs
    self.outputs = outputs
    self.attributes = attributes
  }

  /// The attribute `name`, or the schema default when it is absent.
  public func attribute(_ name: String) -> Attribute? {
    attributes[name] ?? op.semantics.schema.attributes.first { $0.name == name }?.defaultValue
  }

  /// An integer attribute (or its default); a missing or mistyped value is a programmer error
  /// here because ``ModelGraph/validate()`` checks attributes against the schema first.
  public func int(_ name: String) -> Int {
    guard let value = attribute(name)?.intValue else {
      preconditionFailure("Node \(self.name) (\(op.rawValue)): integer attribute '\(name)' is missing")
    }
    return value
  }

  /// A list-of-integers attribute (or its default).
  public func ints(_ name: String) -> [Int] {
    guard let value = attribute(name)?.intsValue else {
      preconditionFailure("Node \(self.name) (\(op.rawValue)): integer-list attribute '\(name)' is missing")
    }
    return value
  }

  /// A floating-point attribute (or its default).
  public func float(_ name: String) -> Float {
    guard let value = attribute(name)?.doubleValue else {
      preconditionFailure("Node \(self.name) (\(op.rawValue)): number attribute '\(name)' is missing")
    }
    return Float(value)
  }

  /// A Boolean attribute (or its default).
  public func bool(_ name: String) -> Bool {
    guard let value = attribute(name)?.boolValue else {
      preconditionFailure("Node \(self.name) (\(op.rawValue)): Boolean attribute '\(name)' is missing")
    }
    return value
  }
}
