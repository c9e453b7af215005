import Graph
import Tensors

/// The one walk over a graph that every executor here shares: validate and convert each graph
/// input, run the nodes in graph order over an environment of values (float tensors, uint8
/// codes, …), and hand each value to an observer as it is computed.
enum GraphWalk {
  /// Runs `graph`; `input(info, tensor)` turns a fed tensor into the environment's value type
  /// and `node(node, inputs)` computes a node's output.
  /// - Throws: ``QuantizationError`` for a missing or mis-shaped input or a value the graph
  ///   reads before it is computed; whatever `input` and `node` throw.
  static func run<Value>(
    _ graph: ModelGraph, feeds: [String: Tensor<Float>], input: (ValueInfo, Tensor<Float>) throws -> Value,
    node evaluate: (Node, [Value]) throws -> Value, observe: (String, Value) -> Void
  ) throws -> [String: Value] {
    var env: [String: Value] = [:]
    for info in graph.inputs {
      guard let x = feeds[info.name] else {
        throw QuantizationError.badInput(graph: graph.name, input: info.name, message: "it was not supplied.")
      }
      guard Array(x.shape.dropFirst()) == Array(info.shape.dropFirst()) else {
        throw QuantizationError.badInput(
          graph: graph.name, input: info.name,
          message:
            "expected shape [N, \(info.shape.dropFirst().map(String.init).joined(separator: ", "))], got \(x.shape).")
      }
      let value = try input(info, x)
      env[info.name] = value
      observe(info.name, value)
    }
    for node in graph.nodes {
      let xs = try node.inputs.map { name -> Value in
        guard let x = env[name] else { throw QuantizationError.missingQuantization(graph: graph.name, tensor: name) }
        return x
      }
      let y = try evaluate(node, xs)
      env[node.outputs[0]] = y
      observe(node.outputs[0], y)
    }
    return env
  }
}
