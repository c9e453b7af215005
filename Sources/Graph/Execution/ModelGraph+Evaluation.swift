import Tensors

/// Why a graph could not be evaluated.
public enum GraphEvaluationError: Error, CustomStringConvertible, Equatable {
  /// A parameter has a shape but no value (the graph came from a definition, not weights).
  case missingParameterValue(graph: String, parameter: String)
  /// A parameter holds integer (quantized) values; the reference evaluation runs on floats.
  case nonFloatParameter(graph: String, parameter: String, elementType: Parameter.ElementType)
  /// An input the graph declares was not supplied.
  case missingInput(graph: String, input: String)
  /// An input's shape differs from the declared one (batch axis aside).
  case inputShape(graph: String, input: String, expected: [Int], got: [Int])

  public var description: String {
    switch self {
    case let .missingParameterValue(graph, parameter):
      return
        "Graph '\(graph)' cannot be evaluated: parameter '\(parameter)' has no value (load weights or use a GraphExecutor, which initialises them)."
    case let .nonFloatParameter(graph, parameter, elementType):
      return
        "Graph '\(graph)' cannot be evaluated in float: parameter '\(parameter)' holds \(elementType.rawValue) values (evaluate the float32 graph, or dequantize first)."
    case let .missingInput(graph, input):
      return "Graph '\(graph)' needs input '\(input)', which was not supplied."
    case let .inputShape(graph, input, expected, got):
      return
        "Graph '\(graph)' input '\(input)' must have shape [N, \(expected.dropFirst().map(String.init).joined(separator: ", "))], got \(got)."
    }
  }
}

extension ModelGraph {
  /// The reference evaluation: runs every node's ``OpSemantics/evaluate(_:inputs:parameters:)``
  /// in order on plain tensors (inference semantics, no autograd) and returns the graph outputs.
  ///
  /// Inputs may have any batch size; the other axes must match the declared shapes.
  /// - Throws: ``GraphEvaluationError`` for missing or mis-shaped inputs, parameters
  ///   without values and integer parameters.
  public func evaluate(inputs feeds: [String: Tensor<Float>]) throws -> [String: Tensor<Float>] {
    var env: [String: Tensor<Float>] = [:]
    for input in inputs {
      guard let x = feeds[input.name] else { throw GraphEvaluationError.missingInput(graph: name, input: input.name) }
      guard x.shape.count == input.shape.count, Array(x.shape.dropFirst()) == Array(input.shape.dropFirst()) else {
        throw GraphEvaluationError.inputShape(graph: name, input: input.name, expected: input.shape, got: x.shape)
      }
      env[input.name] = x
    }
    for node in nodes {
      var params: [String: Tensor<Float>] = [:]
      for (key, role, parameter) in parameters(of: node) {
        guard parameter.elementType == .float32 else {
          throw GraphEvaluationError.nonFloatParameter(graph: name, parameter: key, elementType: parameter.elementType)
        }
        guard let value = parameter.value else {
          throw GraphEvaluationError.missingParameterValue(graph: name, parameter: key)
        }
        params[role] = value
      }
      let xs = node.inputs.map { input -> Tensor<Float> in
        guard let x = env[input] else {
          preconditionFailure("evaluate: \(input) is not computed; validate the graph first")
        }
        return x
      }
      let ys = node.op.semantics.evaluate(node, inputs: xs, parameters: params)
      for (output, y) in zip(node.outputs, ys) { env[output] = y }
    }
    var results: [String: Tensor<Float>] = [:]
    for output in outputs { results[output.name] = env[output.name] }
    return results
  }
}
