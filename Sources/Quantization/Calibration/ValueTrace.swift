import Graph
import Tensors

/// Runs Graph's reference evaluation (each node's ``OpSemantics/evaluate(_:inputs:parameters:)``,
/// in graph order) and hands every value — inputs and every node output, not only the graph
/// outputs — to an observer. Calibration and the diagnostics need the intermediate tensors,
/// which ``ModelGraph/evaluate(inputs:)`` does not return.
public enum ValueTrace {
  /// Evaluates `graph` in float on `feeds` and calls `observe(name, value)` for every value in
  /// order; returns the environment of all values.
  /// - Throws: ``QuantizationError`` for missing inputs or non-float parameters.
  @discardableResult
  public static func run(
    _ graph: ModelGraph, inputs feeds: [String: Tensor<Float>],
    observe: (String, Tensor<Float>) -> Void = { _, _ in }
  ) throws -> [String: Tensor<Float>] {
    var env: [String: Tensor<Float>] = [:]
    for input in graph.inputs {
      guard let x = feeds[input.name] else {
        throw QuantizationError.badInput(graph: graph.name, input: input.name, message: "it was not supplied.")
      }
      guard Array(x.shape.dropFirst()) == Array(input.shape.dropFirst()) else {
        throw QuantizationError.badInput(
          graph: graph.name, input: input.name,
          message:
            "expected shape [N, \(input.shape.dropFirst().map(String.init).joined(separator: ", "))], got \(x.shape).")
      }
      env[input.name] = x
      observe(input.name, x)
    }
    for node in graph.nodes {
      let params = try floatParameters(graph, node)
      let xs = try node.inputs.map { name -> Tensor<Float> in
        guard let x = env[name] else { throw QuantizationError.missingQuantization(graph: graph.name, tensor: name) }
        return x
      }
      let ys = node.op.semantics.evaluate(node, inputs: xs, parameters: params)
      for (name, y) in zip(node.outputs, ys) {
        env[name] = y
        observe(name, y)
      }
    }
    return env
  }

  /// The float32 parameters of `node` by role.
  static func floatParameters(_ graph: ModelGraph, _ node: Node) throws -> [String: Tensor<Float>] {
    var params: [String: Tensor<Float>] = [:]
    for (key, role, parameter) in graph.parameters(of: node) {
      guard let value = parameter.value else {
        throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: key)
      }
      params[role] = value
    }
    return params
  }
}
