/// A model as plain data: the one representation that training, passes, quantization, export
/// and the simulators share (DESIGN.md, "One model representation").
///
/// Modelled on ONNX's `GraphProto`: values are named tensors with shapes, edges are value
/// names (not references), nodes are kept in topological order and every name is unique, so a
/// graph serializes trivially and diffs cleanly. Shapes are NCHW (or NC) with a leading batch
/// axis whose extent is 1 in the graph and stands for any batch size at run time. Costs are
/// therefore per sample.
///
/// Parameters are stored by name, `"<node>.<role>"` (e.g. `"conv1.weight"`), with PyTorch's
/// roles and layouts (OIHW conv weights, `[out, in]` dense weights, BatchNorm `weight`,
/// `bias`, `running_mean`, `running_var`). Their values are optional: a graph built from a
/// definition has shapes only, and a graph exported from GraphTraining's `GraphExecutor` or
/// loaded from a weight file (GraphHDF5) carries values too, typed by ``Parameter/ElementType``.
public struct ModelGraph: Codable, Equatable, Sendable {
  /// The IR version written by this build; decoding rejects other versions.
  public static let currentVersion = 1

  /// The IR version of this graph (``currentVersion`` when created here).
  public var version: Int
  /// A human-readable model name, e.g. `"squeezenet1.1-reid"`.
  public var name: String
  /// Graph inputs (images, NCHW with batch 1).
  public var inputs: [ValueInfo]
  /// Graph outputs, with their role (plain tensor, YOLO head, descriptor, logits).
  public var outputs: [OutputInfo]
  /// Every value: the graph inputs, then each node's outputs in node order.
  public var values: [ValueInfo]
  /// The nodes, in topological order.
  public var nodes: [Node]
  /// Parameters and BatchNorm statistics by name (`"<node>.<role>"`).
  public var parameters: [String: Parameter]

  /// Creates a graph from its parts (call ``validate()`` before trusting it).
  public init(
    name: String, inputs: [ValueInfo], outputs: [OutputInfo], values: [ValueInfo], nodes: [Node],
    parameters: [String: Parameter], version: Int = ModelGraph.currentVersion
  ) {
    self.version = version
    self.name = name
    self.inputs = inputs
    self.outputs = outputs
    self.values = values
    self.nodes = nodes
    self.parameters = parameters
  }

  enum CodingKeys: String, CodingKey {
    case version, name, inputs, outputs, values, nodes, parameters
  }

  /// Decodes a graph, rejecting IR versions this build does not understand.
  public init(from decoder: Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let version = try c.decode(Int.self, forKey: .version)
    guard version == ModelGraph.currentVersion else {
      throw DecodingError.dataCorruptedError(
        forKey: .version, in: c,
        debugDescription:
          "Graph IR version \(version) is not supported; this build reads version \(ModelGraph.currentVersion).")
    }
    self.version = version
    name = try c.decode(String.self, forKey: .name)
    inputs = try c.decode([ValueInfo].self, forKey: .inputs)
    outputs = try c.decode([OutputInfo].self, forKey: .outputs)
    values = try c.decode([ValueInfo].self, forKey: .values)
    nodes = try c.decode([Node].self, forKey: .nodes)
    parameters = try c.decode([String: Parameter].self, forKey: .parameters)
  }

  /// The shape of the value `name`, or nil if the graph has no such value.
  public func shape(of name: String) -> [Int]? {
    values.first { $0.name == name }?.shape
  }

  /// A dictionary from value name to shape.
  public var valueShapes: [String: [Int]] {
    var shapes: [String: [Int]] = [:]
    for value in values { shapes[value.name] = value.shape }
    return shapes
  }

  /// The node called `name`, if any.
  public func node(named name: String) -> Node? { nodes.first { $0.name == name } }

  /// The parameters of `node` in the order its op declares them, with their full names.
  public func parameters(of node: Node) -> [(name: String, role: String, parameter: Parameter)] {
    node.op.semantics.parameterRoles.compactMap { role in
      let key = Parameter.key(node: node.name, role: role)
      return parameters[key].map { (key, role, $0) }
    }
  }

  /// Whether every parameter has a value, of any element type (a float32 graph can then be
  /// evaluated).
  public var hasParameterValues: Bool { parameters.values.allSatisfy(\.hasValue) }
}
