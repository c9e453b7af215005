import Geometry

/// Builds a valid ``ModelGraph`` node by node, inferring every shape and declaring every
/// parameter as it goes; used by the JSON definitions, the passes and tests.
///
/// ```swift
/// var b = GraphBuilder(name: "tiny")
/// let x = b.input("image", shape: [1, 3, 32, 32])
/// let y = try b.add(.conv, "conv1", [x], ["outChannels": .int(8), "kernel": .ints([3, 3])])
/// b.output(y)
/// let graph = try b.finish()
/// ```
public struct GraphBuilder {
  /// The graph so far.
  public private(set) var graph: ModelGraph
  private var shapes: [String: [Int]] = [:]

  /// Starts an empty graph.
  public init(name: String) {
    graph = ModelGraph(name: name, inputs: [], outputs: [], values: [], nodes: [], parameters: [:])
  }

  /// Declares a graph input and returns its value name.
  @discardableResult
  public mutating func input(_ name: String, shape: [Int]) -> String {
    graph.inputs.append(ValueInfo(name: name, shape: shape))
    graph.values.append(ValueInfo(name: name, shape: shape))
    shapes[name] = shape
    return name
  }

  /// The shape of a value added so far.
  public func shape(of value: String) -> [Int]? { shapes[value] }

  /// Whether a node or value called `name` exists already.
  public func isTaken(_ name: String) -> Bool {
    shapes[name] != nil || graph.nodes.contains { $0.name == name }
  }

  /// Appends a node whose single output value has the node's name, and returns that name.
  /// - Throws: ``GraphValidationError`` naming the node when the inputs are unknown, the
  ///   attributes do not fit the schema, or shape inference fails.
  @discardableResult
  public mutating func add(
    _ op: OpKind, _ name: String, _ inputs: [String], _ attributes: [String: Attribute] = [:]
  ) throws -> String {
    let node = Node(name: name, op: op, inputs: inputs, outputs: [name], attributes: attributes)
    func fail(_ message: String) -> GraphValidationError {
      GraphValidationError(graph: graph.name, issues: [GraphIssue(node: name, message)])
    }
    if let problem = ModelGraph.nameProblem(name) { throw fail(problem) }
    if isTaken(name) { throw fail("the name is already used by another node or value.") }
    if let problem = graph.schemaIssues(node).first { throw fail(problem) }
    guard op.semantics.schema.inputCount.contains(inputs.count) else {
      throw fail("\(op.rawValue) cannot take \(inputs.count) input(s).")
    }
    var inputShapes: [[Int]] = []
    for input in inputs {
      guard let s = shapes[input] else { throw fail("input '\(input)' is missing: no earlier node produces it.") }
      inputShapes.append(s)
    }
    let outputShapes: [[Int]]
    do {
      outputShapes = try op.semantics.inferShapes(node, inputShapes: inputShapes)
    } catch {
      throw fail(
        "\(op.rawValue) cannot accept inputs of shape \(inputShapes.map { "\($0)" }.joined(separator: ", ")): \(error)."
      )
    }
    for spec in op.semantics.parameterSpecs(node, inputShapes: inputShapes) {
      graph.parameters[Parameter.key(node: name, role: spec.role)] = Parameter(shape: spec.shape, kind: spec.kind)
    }
    graph.nodes.append(node)
    graph.values.append(ValueInfo(name: name, shape: outputShapes[0]))
    shapes[name] = outputShapes[0]
    return name
  }

  /// Marks `value` as a graph output with the given role and metadata.
  public mutating func output(
    _ value: String, role: OutputInfo.Role = .tensor, anchors: [Anchor]? = nil,
    numClasses: Int? = nil, stride: Int? = nil
  ) {
    graph.outputs.append(
      OutputInfo(
        name: value, shape: shapes[value] ?? [], role: role, anchors: anchors, numClasses: numClasses, stride: stride))
  }

  /// Validates and returns the graph.
  public func finish() throws -> ModelGraph {
    try graph.validate()
    return graph
  }
}
