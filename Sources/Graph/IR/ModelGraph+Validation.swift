/// Structural and semantic checks: unique names, topological order, op schemas, shapes and
/// parameters. Every problem is reported, each naming its node (ONNX's checker, §4.5).
extension ModelGraph {
  /// Throws a ``GraphValidationError`` listing every broken invariant, or returns normally.
  public func validate() throws {
    let found = issues()
    if !found.isEmpty { throw GraphValidationError(graph: name, issues: found) }
  }

  /// Every broken invariant, in order: graph-level first, then per node, then outputs and
  /// parameters.
  public func issues() -> [GraphIssue] {
    var issues: [GraphIssue] = []
    if version != ModelGraph.currentVersion {
      issues.append(
        GraphIssue(node: nil, "IR version \(version) is not supported (expected \(ModelGraph.currentVersion))."))
    }
    var declared: [String: [Int]] = [:]
    for value in values {
      if declared[value.name] != nil {
        issues.append(GraphIssue(node: nil, "Value '\(value.name)' is declared more than once."))
      }
      declared[value.name] = value.shape
    }
    var available: [String: [Int]] = [:]
    for input in inputs {
      if declared[input.name] != input.shape {
        issues.append(
          GraphIssue(node: nil, "Input '\(input.name)' must be declared in values with shape \(input.shape)."))
      }
      available[input.name] = input.shape
    }
    let producers = Dictionary(nodes.flatMap { n in n.outputs.map { ($0, n.name) } }, uniquingKeysWith: { a, _ in a })
    var nodeNames = Set<String>()
    var expectedParameters: [String: ParameterSpec] = [:]
    for node in nodes {
      if let problem = ModelGraph.nameProblem(node.name) {
        issues.append(GraphIssue(node: node.name, problem))
      }
      if !nodeNames.insert(node.name).inserted {
        issues.append(GraphIssue(node: node.name, "the node name is used more than once; node names must be unique."))
      }
      issues += nodeIssues(node, available: available, producers: producers)
      let inputShapes = node.inputs.compactMap { available[$0] }
      var outputShapes: [[Int]] = []
      if inputShapes.count == node.inputs.count, schemaIssues(node).isEmpty,
        node.op.semantics.schema.inputCount.contains(node.inputs.count)
      {
        do {
          outputShapes = try node.op.semantics.inferShapes(node, inputShapes: inputShapes)
          for spec in node.op.semantics.parameterSpecs(node, inputShapes: inputShapes) {
            expectedParameters[Parameter.key(node: node.name, role: spec.role)] = spec
          }
        } catch {
          issues.append(
            GraphIssue(
              node: node.name,
              "\(node.op.rawValue) cannot accept inputs of shape \(inputShapes.map { "\($0)" }.joined(separator: ", ")): \(error)."
            ))
        }
      }
      for (i, output) in node.outputs.enumerated() {
        if available[output] != nil {
          issues.append(
            GraphIssue(node: node.name, "output '\(output)' is already produced earlier; every value has one producer.")
          )
        }
        let inferred = i < outputShapes.count ? outputShapes[i] : nil
        if let inferred, let shape = declared[output], shape != inferred {
          issues.append(
            GraphIssue(
              node: node.name,
              "output '\(output)' is declared with shape \(shape) but \(node.op.rawValue) produces \(inferred)."))
        } else if declared[output] == nil {
          issues.append(GraphIssue(node: node.name, "output '\(output)' is missing from the graph's values."))
        }
        available[output] = inferred ?? declared[output] ?? []
      }
    }
    for output in outputs {
      if available[output.name] == nil {
        issues.append(GraphIssue(node: nil, "Graph output '\(output.name)' is not produced by any node or input."))
      } else if declared[output.name] != output.shape {
        issues.append(
          GraphIssue(
            node: nil,
            "Graph output '\(output.name)' has shape \(output.shape) but the value is \(declared[output.name] ?? [])."))
      }
    }
    issues += parameterIssues(expected: expectedParameters)
    return issues
  }

  private func nodeIssues(_ node: Node, available: [String: [Int]], producers: [String: String]) -> [GraphIssue] {
    var issues = schemaIssues(node).map { GraphIssue(node: node.name, $0) }
    let range = node.op.semantics.schema.inputCount
    if !range.contains(node.inputs.count) {
      let expected =
        range.upperBound == Int.max
        ? "at least \(range.lowerBound)"
        : range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
      issues.append(
        GraphIssue(node: node.name, "\(node.op.rawValue) takes \(expected) input(s), got \(node.inputs.count)."))
    }
    if node.outputs.count != 1 {
      issues.append(
        GraphIssue(node: node.name, "\(node.op.rawValue) writes exactly 1 output, got \(node.outputs.count)."))
    }
    for input in node.inputs where available[input] == nil {
      if let producer = producers[input] {
        issues.append(
          GraphIssue(
            node: node.name,
            "input '\(input)' is produced by node '\(producer)', which comes later; nodes must be topologically sorted."
          ))
      } else {
        issues.append(
          GraphIssue(node: node.name, "input '\(input)' is missing: no graph input or earlier node produces it."))
      }
    }
    return issues
  }

  /// Why `name` cannot name a node, if it cannot: it becomes an HDF5 group name in weight files
  /// (`/parameters/<node>/…`) and the prefix of `"<node>.<role>"` parameter names.
  static func nameProblem(_ name: String) -> String? {
    if name.isEmpty { return "a node name must not be empty." }
    if name.contains("/") || name.contains(".") {
      return "the node name must not contain '/' or '.' (it is used in weight-file paths and parameter names)."
    }
    return nil
  }

  /// Attribute problems of `node` against its op schema.
  func schemaIssues(_ node: Node) -> [String] {
    let schema = node.op.semantics.schema
    var problems: [String] = []
    for (name, value) in node.attributes.sorted(by: { $0.key < $1.key }) {
      guard let spec = schema.attributes.first(where: { $0.name == name }) else {
        let known = schema.attributes.map(\.name).joined(separator: ", ")
        problems.append(
          "\(node.op.rawValue) has no attribute '\(name)' (it accepts: \(known.isEmpty ? "none" : known)).")
        continue
      }
      let matches = value.typeName == spec.type || (spec.type == "float" && value.typeName == "int")
      if !matches {
        problems.append("attribute '\(name)' must be \(spec.type), got \(value.typeName) \(value).")
      }
    }
    for spec in schema.attributes where spec.defaultValue == nil && node.attributes[spec.name] == nil {
      problems.append("\(node.op.rawValue) needs attribute '\(spec.name)' (\(spec.doc))")
    }
    return problems
  }

  private func parameterIssues(expected: [String: ParameterSpec]) -> [GraphIssue] {
    var issues: [GraphIssue] = []
    for key in expected.keys.sorted() {
      guard let spec = expected[key] else { continue }
      let node = String(key.prefix(while: { $0 != "." }))
      guard let parameter = parameters[key] else {
        issues.append(GraphIssue(node: node, "parameter '\(key)' \(spec.shape) is missing."))
        continue
      }
      if parameter.shape != spec.shape {
        issues.append(
          GraphIssue(node: node, "parameter '\(key)' has shape \(parameter.shape) but the op needs \(spec.shape)."))
      }
      if let value = parameter.data, value.shape != parameter.shape {
        issues.append(
          GraphIssue(node: node, "parameter '\(key)' holds a value of shape \(value.shape), not \(parameter.shape)."))
      }
    }
    for key in parameters.keys.sorted() where expected[key] == nil {
      issues.append(GraphIssue(node: nil, "Parameter '\(key)' belongs to no node of the graph."))
    }
    return issues
  }
}
