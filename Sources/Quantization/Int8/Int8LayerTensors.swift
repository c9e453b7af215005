import Graph
import Tensors

/// What an integer conv or dense layer with int8 weights reads from a quantized model — its
/// int8 weights and their format, its input and stored-output formats, its int32 biases and
/// each output channel's weight sum — shared by the `int8` and `gap8-sq8` layer plans.
struct Int8LayerTensors {
  var weights: Tensor<Int8>
  var weightFormat: TensorQuantization
  var input: TensorQuantization
  var output: TensorQuantization
  /// One bias per output channel (0 without a bias parameter).
  var bias: [Int64]
  /// Σ of each output channel's weights (for the zero-point correction).
  var rowSums: [Int64]

  /// Reads the tensors of `node` from `model`.
  /// - Throws: ``QuantizationError/missingQuantization(graph:tensor:)`` naming what is missing.
  init(_ node: Node, _ model: QuantizedModel) throws {
    let graph = model.graph, table = model.table
    let wKey = Parameter.key(node: node.name, role: "weight"), bKey = Parameter.key(node: node.name, role: "bias")
    guard case let .int8(w)? = graph.parameters[wKey]?.data, let wq = table[wKey] else {
      throw QuantizationError.missingQuantization(graph: graph.name, tensor: wKey)
    }
    guard let inQ = table[node.inputs[0]] else {
      throw QuantizationError.missingQuantization(graph: graph.name, tensor: node.inputs[0])
    }
    let outName = model.storedOutput(of: node)
    guard let outQ = table[outName] else {
      throw QuantizationError.missingQuantization(graph: graph.name, tensor: outName)
    }
    let channels = w.shape[0], per = w.count / channels
    var bias = [Int64](repeating: 0, count: channels)
    if let parameter = graph.parameters[bKey] {
      guard case let .int32(b)? = parameter.data else {
        throw QuantizationError.missingQuantization(graph: graph.name, tensor: bKey)
      }
      bias = b.scalars.map(Int64.init)
    }
    (weights, weightFormat, input, output, self.bias) = (w, wq, inQ, outQ, bias)
    rowSums = (0..<channels).map { o in (0..<per).reduce(Int64(0)) { $0 + Int64(w.scalars[o * per + $1]) } }
  }

  /// Weights per output channel.
  var perChannel: Int { weights.count / weights.shape[0] }
}
