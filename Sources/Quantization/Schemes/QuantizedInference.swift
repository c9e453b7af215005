import Graph
import Tensors

/// An executor of a quantized model in its scheme's arithmetic. Every scheme's reference
/// executor conforms, so the quantize and evaluate stages, the diagnostics and `workbench infer`
/// run any scheme through one interface.
public protocol QuantizedInference: Sendable {
  /// The scheme whose arithmetic the executor follows.
  var scheme: QuantizationScheme { get }
  /// Runs the graph on float inputs (quantized at the graph inputs as the scheme says) and
  /// returns the graph outputs dequantized to float. `observe` receives every value the scheme
  /// materialises, dequantized, as it is computed (for per-tensor diagnostics).
  func run(
    inputs: [String: Tensor<Float>], observe: (String, Tensor<Float>) -> Void
  ) throws -> [String: Tensor<Float>]
}

extension QuantizedInference {
  /// Runs the graph and returns the dequantized graph outputs.
  public func run(inputs: [String: Tensor<Float>]) throws -> [String: Tensor<Float>] {
    try run(inputs: inputs, observe: { _, _ in })
  }
}
