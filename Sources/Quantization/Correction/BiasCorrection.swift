import Graph
import Tensors

/// Empirical bias correction (Nagel et al. 2019, "Data-Free Quantization Through Weight
/// Equalization and Bias Correction", §4.2, the variant with data).
///
/// Quantizing a layer's weights W to W̃ adds ε = W̃ − W, and the layer's output gains ε·x, whose
/// mean E[ε·x] = ε·E[x] is generally not zero: rounding errors of one output channel need not
/// cancel (small layers, depthwise kernels of nine taps), and a non-zero mean error is a bias
/// that the layers after it amplify instead of averaging out. For every quantized conv and dense
/// layer this measures, per output channel o,
///
///     δ_o = mean over the calibration set (and over positions) of (W̃ ⊛ x − W ⊛ x)_o,
///
/// with x the layer's input in the *float* graph (the distribution the quantized network is
/// meant to reproduce), and returns the float graph with b_o − δ_o as the layer's bias (a bias
/// is added where the layer had none). Quantizing the returned graph again, with the same
/// ranges and options, gives a model whose layers' outputs have (on the calibration data) the
/// float model's mean: E[W̃x + b − δ] = E[Wx + b].
///
/// What is *not* corrected: the error of quantizing activations (rounding is nearly
/// zero-mean; clipping is the calibration method's business) and the rounding of the new bias
/// to the bias format (at s_in·s_w, far below one output step). Weights keep their values, so
/// re-quantizing reproduces the same W̃ (the bias does not enter the weight scales); the
/// corrections are measured layer by layer on the float inputs, not sequentially on the
/// quantized network's, so one trace of the float graph serves every layer.
public enum BiasCorrection {
  /// The result: the corrected float graph and δ of every corrected layer, by node name.
  public struct Result: Sendable {
    /// The float graph with corrected biases.
    public var graph: ModelGraph
    /// The mean output error δ (per output channel) that was subtracted, by node name.
    public var corrections: [String: [Float]]
  }

  /// Corrects the biases of `graph` for the weight quantization of `model` (quantized from
  /// `graph`, whose side table holds each layer's weight format), measured on `batches`.
  /// - Throws: ``QuantizationError`` when there is no batch, the graph cannot be evaluated, or
  ///   a quantized weight has no format in the table.
  public static func correct(
    _ graph: ModelGraph, quantized model: QuantizedModel, batches: [[String: Tensor<Float>]]
  ) throws -> Result {
    guard !batches.isEmpty else { throw QuantizationError.noCalibrationData(graph: graph.name) }
    let layers = graph.nodes.filter { node in
      (node.op == .conv || node.op == .dense)
        && model.table[Parameter.key(node: node.name, role: "weight")] != nil
    }
    var errors: [String: Tensor<Float>] = [:]
    for node in layers {
      let key = Parameter.key(node: node.name, role: "weight")
      guard let w = graph.parameters[key]?.value else {
        throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: key)
      }
      errors[node.name] = try quantizedWeight(model, key, float: w) - w
    }
    var sums: [String: [Double]] = [:], counts: [String: Int] = [:]
    let wanted = Dictionary(grouping: layers, by: { $0.inputs[0] })
    for batch in batches {
      try ValueTrace.run(graph, inputs: batch) { name, x in
        for node in wanted[name] ?? [] {
          guard let e = errors[node.name] else { continue }
          let y = node.op.semantics.evaluate(node, inputs: [x], parameters: ["weight": e])[0]
          let channels = y.shape[1], per = y.count / (y.shape[0] * channels)
          var s = sums[node.name] ?? [Double](repeating: 0, count: channels)
          for (i, v) in y.scalars.enumerated() { s[(i / per) % channels] += Double(v) }
          sums[node.name] = s
          counts[node.name, default: 0] += y.count / channels
        }
      }
    }
    var result = graph
    var corrections: [String: [Float]] = [:]
    for node in layers {
      guard let s = sums[node.name], let n = counts[node.name], n > 0 else { continue }
      let delta = s.map { Float($0 / Double(n)) }
      corrections[node.name] = delta
      subtract(delta, fromBiasOf: node, in: &result)
    }
    return Result(graph: result, corrections: corrections)
  }

  /// W̃: the model's integer weight dequantized, or (for schemes whose model keeps the float
  /// weight, like `k210`) the float weight quantized and dequantized with its table format.
  static func quantizedWeight(_ model: QuantizedModel, _ key: String, float w: Tensor<Float>) throws -> Tensor<Float> {
    guard let q = model.table[key] else {
      throw QuantizationError.missingQuantization(graph: model.graph.name, tensor: key)
    }
    let codes: [Int]
    switch model.graph.parameters[key]?.data {
    case let .int8(t)?: codes = t.scalars.map(Int.init)
    case let .uint8(t)?: codes = t.scalars.map(Int.init)
    case let .int16(t)?: codes = t.scalars.map(Int.init)
    case let .int32(t)?: codes = t.scalars.map(Int.init)
    default:
      codes = w.scalars.indices.map { q.quantize(w.scalars[$0], channel: q.channel(ofFlatIndex: $0, shape: w.shape)) }
    }
    guard codes.count == w.count else {
      throw QuantizationError.missingQuantization(graph: model.graph.name, tensor: key)
    }
    return Tensor(
      shape: w.shape,
      scalars: codes.indices.map { q.dequantize(codes[$0], channel: q.channel(ofFlatIndex: $0, shape: w.shape)) })
  }

  /// b ← b − δ (a zero bias is created for a layer without one).
  static func subtract(_ delta: [Float], fromBiasOf node: Node, in graph: inout ModelGraph) {
    let key = Parameter.key(node: node.name, role: "bias")
    let old = graph.parameters[key]?.value?.scalars ?? [Float](repeating: 0, count: delta.count)
    if let index = graph.nodes.firstIndex(where: { $0.name == node.name }) {
      graph.nodes[index].attributes["bias"] = .bool(true)
    }
    graph.parameters[key] = Parameter(
      shape: [delta.count], value: Tensor(shape: [delta.count], scalars: zip(old, delta).map { $0 - $1 }))
  }
}
