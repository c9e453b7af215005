import Graph
import Tensors

/// The `int8` scheme: the generic ONNX/TFLite convention (Jacob et al. 2018, "Quantization and
/// Training of Neural Networks for Efficient Integer-Arithmetic-Only Inference").
///
/// - Activations: uint8, asymmetric, per tensor: s = (hi − lo)/255, z = round(−lo/s) with the
///   calibrated range widened to contain 0 (so that real 0, the padding value, is exact).
/// - Conv and dense weights: int8, symmetric, per output channel, narrow range ±127:
///   s_w[o] = max|W_o| / 127, q = round(w / s_w[o]).
/// - Biases: int32, zero point 0, s_b[o] = s_in · s_w[o].
/// - Requantization: acc (int32) ↦ z_out + round(acc · s_in·s_w[o]/s_out) with a 31-bit
///   ``FixedPointMultiplier``; a ReLU/ReLU6 that alone reads a conv/dense output is fused: the
///   layer requantizes into the activation's output format and clamps at z_out (and at
///   z_out + round(6/s_out)).
/// - Max pool, average pools, upsample, flatten, reshape, dropout, identity and unfused ReLUs
///   keep their input's format (TFLite's convention); add, concat and leaky ReLU get their own
///   calibrated format; sigmoid, tanh, L2-normalize and unfolded BatchNorm are "float islands"
///   (dequantize, float op, quantize) in both executors.
public enum Int8Quantizer {
  /// Ops whose output keeps the input's quantization.
  static let passthrough: Set<OpKind> = [
    .maxPool, .avgPool, .globalAvgPool, .upsample, .flatten, .reshape, .dropout, .identity,
  ]
  /// Ops run in float between dequantize and quantize.
  static let floatIslands: Set<OpKind> = [.sigmoid, .tanh, .l2Normalize, .batchNorm]

  /// Quantizes a float graph (BatchNorm already folded where possible) given each value's
  /// calibrated range (``Calibrator/ranges(_:settings:)``). With `perChannel` false, every
  /// output channel of a layer shares the scale max|W| / 127 of the whole tensor.
  /// - Throws: ``QuantizationError`` when a parameter has no float value or a value has no range.
  public static func quantize(
    _ graph: ModelGraph, ranges: [String: ClosedRange<Float>], perChannel: Bool = true
  ) throws -> QuantizedModel {
    try quantize(graph, ranges: ranges, perChannel: perChannel, scheme: .int8, activation: Self.activation)
  }

  /// The graph walk shared with `gap8-sq8` (``SQ8Quantizer``), which differs only in the
  /// activation format: fusion, weights, biases and which values keep their input's format.
  static func quantize(
    _ graph: ModelGraph, ranges: [String: ClosedRange<Float>], perChannel: Bool, scheme: QuantizationScheme,
    activation: (ClosedRange<Float>) -> TensorQuantization
  ) throws -> QuantizedModel {
    let fused = graph.fusedReLUs()
    let fusedOutputs = Set(graph.nodes.filter { fused[$0.name] != nil }.map { $0.outputs[0] })
    var table = QuantizationTable(scheme: scheme)
    func range(_ name: String) throws -> ClosedRange<Float> {
      guard let r = ranges[name] else { throw QuantizationError.missingRange(graph: graph.name, value: name) }
      return r
    }
    for input in graph.inputs { table[input.name] = activation(try range(input.name)) }
    var result = graph
    for node in graph.nodes {
      let out = node.outputs[0]
      switch node.op {
      case .conv, .dense:
        if !fusedOutputs.contains(out) { table[out] = activation(try range(out)) }
        guard let inQ = table[node.inputs[0]] else {
          throw QuantizationError.missingQuantization(graph: graph.name, tensor: node.inputs[0])
        }
        try quantizeParameters(
          node, inputScale: inQ.scale, perChannel: perChannel, graph: graph, into: &result, table: &table)
      case .relu, .relu6:
        if fusedOutputs.contains(node.inputs[0]) {
          table[out] = activation(try range(out))
        } else {
          table[out] = table[node.inputs[0]]
        }
      case _ where passthrough.contains(node.op):
        table[out] = table[node.inputs[0]]
      default:
        table[out] = activation(try range(out))
      }
    }
    return QuantizedModel(graph: result, table: table, fusedActivations: fused)
  }

  /// The uint8 asymmetric format of a range (widened to contain 0; a span below 1e-6 is
  /// widened to 1e-6 above the lower end).
  public static func activation(_ range: ClosedRange<Float>) -> TensorQuantization {
    let lo = Double(min(range.lowerBound, 0))
    var hi = Double(max(range.upperBound, 0))
    if hi - lo < 1e-6 { hi = lo + 1e-6 }
    let scale = (hi - lo) / 255
    let zero = min(max(Int((-lo / scale).rounded()), 0), 255)
    return TensorQuantization(scale: scale, zeroPoint: zero, elementType: .uint8)
  }

  /// Replaces the node's float weight and bias by int8 / int32 values and records their formats.
  static func quantizeParameters(
    _ node: Node, inputScale: Double, perChannel: Bool, graph: ModelGraph, into result: inout ModelGraph,
    table: inout QuantizationTable
  ) throws {
    let wKey = Parameter.key(node: node.name, role: "weight"), bKey = Parameter.key(node: node.name, role: "bias")
    guard let w = graph.parameters[wKey]?.value else {
      throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: wKey)
    }
    let channels = w.shape[0], per = w.count / channels
    var scales = [Double](repeating: 1, count: channels)
    var q = [Int8](repeating: 0, count: w.count)
    let tensorMax = w.scalars.reduce(Float(0)) { max($0, abs($1)) }
    for o in 0..<channels {
      var amax: Float = tensorMax
      if perChannel {
        amax = 0
        for i in 0..<per { amax = max(amax, abs(w.scalars[o * per + i])) }
      }
      if amax > 0 { scales[o] = Double(amax) / 127 }
      for i in 0..<per {
        let v = (Double(w.scalars[o * per + i]) / scales[o]).rounded()
        q[o * per + i] = Int8(min(max(v, -127), 127))
      }
    }
    let wq = TensorQuantization(
      scales: scales, zeroPoints: [Int](repeating: 0, count: channels), axis: 0, elementType: .int8)
    table[wKey] = wq
    result.parameters[wKey] = Parameter(
      shape: w.shape, elementType: .int8, data: .int8(Tensor(shape: w.shape, scalars: q)))
    guard let parameter = graph.parameters[bKey] else { return }
    guard let b = parameter.value else { throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: bKey) }
    let bScales = scales.map { $0 * inputScale }
    let limit = Double(Int32.max)
    let bq = (0..<channels).map { o in Int32(min(max((Double(b.scalars[o]) / bScales[o]).rounded(), -limit), limit)) }
    table[bKey] = TensorQuantization(
      scales: bScales, zeroPoints: [Int](repeating: 0, count: channels), axis: 0, elementType: .int32)
    result.parameters[bKey] = Parameter(
      shape: b.shape, elementType: .int32, data: .int32(Tensor(shape: b.shape, scalars: bq)))
  }
}
