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
    try GraphWalk.run(
      graph, feeds: feeds, input: { _, x in x },
      node: { node, xs in
        let ys = node.op.semantics.evaluate(node, inputs: xs, parameters: try floatParameters(graph, node))
        return ys[0]
      }, observe: observe)
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
