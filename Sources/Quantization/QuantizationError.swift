import Graph

/// Why a graph could not be calibrated, quantized or run in integers.
public enum QuantizationError: Error, CustomStringConvertible, Equatable {
  /// The graph has parameters without values or non-float ones where floats are needed.
  case needsFloatWeights(graph: String, parameter: String)
  /// No calibration inputs were given.
  case noCalibrationData(graph: String)
  /// An op the scheme's integer executor does not implement.
  case unsupportedOp(graph: String, node: String, op: String, scheme: QuantizationScheme)
  /// A tensor the executor needs has no entry in the side table.
  case missingQuantization(graph: String, tensor: String)
  /// A value has no calibrated range.
  case missingRange(graph: String, value: String)
  /// An input was not supplied or has the wrong shape.
  case badInput(graph: String, input: String, message: String)
  /// A calibration setting is out of range.
  case invalidSetting(String)

  public var description: String {
    switch self {
    case let .needsFloatWeights(graph, parameter):
      return
        "Graph '\(graph)' cannot be quantized: parameter '\(parameter)' has no float32 value (quantize a trained float model, after BatchNorm folding)."
    case let .noCalibrationData(graph):
      return "Graph '\(graph)' cannot be calibrated without inputs: give at least one calibration batch."
    case let .unsupportedOp(graph, node, op, scheme):
      return
        "Graph '\(graph)': node '\(node)' is a \(op), which the \(scheme.rawValue) integer executor does not implement (fold BatchNorm first, or remove the op)."
    case let .missingQuantization(graph, tensor):
      return
        "Graph '\(graph)': tensor '\(tensor)' has no entry in the quantization table (re-run the quantizer on this graph)."
    case let .missingRange(graph, value):
      return "Graph '\(graph)': value '\(value)' has no calibrated range (calibrate the same graph that is quantized)."
    case let .badInput(graph, input, message):
      return "Graph '\(graph)' input '\(input)': \(message)"
    case let .invalidSetting(message):
      return message
    }
  }
}
