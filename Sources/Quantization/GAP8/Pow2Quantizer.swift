import Graph
import Tensors

/// The `gap8-pow2` scheme: power-of-two (Qm.n) fixed point as xperience-ai/gap_quantization
/// quantizes for GAP8 (`gap8.md` §3.1) and AutoTiler's 16-bit kernels compute (§4.6); int16 by
/// default, int8 with `bits = 8`, and per-layer int8/int16 with `layerBits`.
///
/// Every tensor has one format Qm.n of B bits (B = 16 or 8; n fractional bits, scale 2⁻ⁿ,
/// zero point 0, integerized as ⌊x·2ⁿ + ½⌋ clamped to B bits):
/// - a value: integer bits m = ⌈log2 max|x|⌉ over its calibrated range, n = B − 1 − m;
/// - conv/dense weights, per layer: w_int = ⌈log2 max|W|⌉, w_frac = B − 1 − w_int, lowered by
///   the excess when out_int + w_frac + in_frac > 31 (the 32-bit accumulator guard);
/// - the layer's right shift `Norm = max(0, out_int + w_frac + in_frac − B + 1)` and its output
///   format out_frac = in_frac + w_frac − Norm, i.e. `Norm = Q_in + Q_w − Q_out`;
/// - the bias in the output format (stored as B-bit codes; gap_quantization's `bias_frac`
///   equals out_frac whenever Norm > 0, and we keep the bias in the output format when Norm = 0
///   too, as AutoTiler's `KerParSetBias_fp` writes it straight into the output plane);
/// - ReLU, ReLU6, leaky ReLU, max/average/global pools, upsample, flatten, reshape, dropout and
///   identity keep their input's format (gap_quantization: "out = max(input int bits)");
/// - concat and add bring their inputs to one format: m = the largest integer bits among the
///   inputs (for add also the add's own calibrated range, so a sum cannot saturate where the
///   float sum does not — gap_quantization uses the inputs only), n = B_out − 1 − m with
///   B_out the widest input. An input whose producer is a conv or dense reached only through
///   format-keeping ops, each read only by the next, has the shift s folded into that layer as
///   gap_quantization's `fix_alignment` does: Norm += s, bias = roundnorm(bias, s),
///   out_frac −= s, so the concat is pure placement. Other inputs are shifted at run time.
/// - sigmoid, tanh, L2-normalize and unfolded BatchNorm are float islands (dequantize, float
///   op, quantize into their own calibrated format).
///
/// Mixed precision: a layer's weights, bias and output take its own width; it reads its input
/// in the producer's format whatever that width is (an int8 or int16 code times an int8 or
/// int16 weight accumulates in 32 bits alike, and Norm = Q_in + Q_w − Q_out absorbs the
/// different fractional bits), so a boundary between int8 and int16 layers costs no
/// conversion node; this mirrors AutoTiler generators taking separate In/Filter/Bias/Out data
/// sizes (§4.4). Non-layer values keep the width of their producer (concat/add: the widest).
public enum Pow2Quantizer {
  /// Ops whose output keeps the input's format.
  static let formatKeeping: Set<OpKind> = [
    .relu, .relu6, .leakyRelu, .maxPool, .avgPool, .globalAvgPool, .upsample, .flatten, .reshape, .dropout,
    .identity,
  ]
  /// Ops run in float between dequantize and quantize.
  static let floatIslands: Set<OpKind> = [.sigmoid, .tanh, .l2Normalize, .batchNorm]
  /// GAP8's accumulator width.
  static let accumulatorBits = 32

  /// One value's format while the quantizer works.
  struct Format {
    var frac: Int
    var bits: Int
    var quantization: TensorQuantization {
      TensorQuantization(fractionalBits: frac, elementType: bits == 8 ? .int8 : .int16)
    }
  }

  /// One layer's weight format, the output format before folding, its width and the shift
  /// folded into it.
  struct Layer {
    var weightFrac: Int
    var outFrac: Int
    var bits: Int
    var folded = 0
  }

  /// Quantizes a float graph (BatchNorm folded) from the calibrated ranges of its values.
  /// - Throws: ``QuantizationError`` for a bit width other than 8 or 16, a `layerBits` entry
  ///   that names no conv or dense node, a missing weight or range, or an unsupported op.
  public static func quantize(
    _ graph: ModelGraph, ranges: [String: ClosedRange<Float>], options: QuantizationOptions = QuantizationOptions()
  ) throws -> QuantizedModel {
    let defaultBits = try validatedBits(graph, options)
    func maxAbs(_ name: String) throws -> Double {
      guard let r = ranges[name] else { throw QuantizationError.missingRange(graph: graph.name, value: name) }
      return Double(max(abs(r.lowerBound), abs(r.upperBound)))
    }
    var formats: [String: Format] = [:]
    var layers: [String: Layer] = [:]
    let walk = GraphLinks(graph)
    func format(_ name: String) throws -> Format {
      guard let f = formats[name] else { throw QuantizationError.missingQuantization(graph: graph.name, tensor: name) }
      return f
    }
    for input in graph.inputs {
      formats[input.name] = Format(
        frac: defaultBits - 1 - GAP8Arithmetic.integerBits(try maxAbs(input.name)), bits: defaultBits)
    }
    for node in graph.nodes {
      let out = node.outputs[0]
      switch node.op {
      case .conv, .dense:
        let bits = options.layerBits[node.name] ?? defaultBits
        let layer = try plan(node, graph, bits: bits, inFrac: try format(node.inputs[0]).frac, outMax: try maxAbs(out))
        layers[node.name] = layer
        formats[out] = Format(frac: layer.outFrac, bits: bits)
      case _ where formatKeeping.contains(node.op):
        formats[out] = try format(node.inputs[0])
      case .add, .concat:
        let inputs = try node.inputs.map(format)
        let bits = inputs.map(\.bits).max() ?? defaultBits
        var intBits = inputs.map { $0.bits - 1 - $0.frac }.max() ?? 0
        if node.op == .add { intBits = max(intBits, GAP8Arithmetic.integerBits(try maxAbs(out))) }
        let frac = bits - 1 - intBits
        for (name, f) in zip(node.inputs, inputs) where f.frac > frac {
          guard let (layer, chain) = walk.foldChain(from: name, through: formatKeeping) else { continue }
          layers[layer]?.folded += f.frac - frac
          for value in chain { formats[value]?.frac = frac }
        }
        formats[out] = Format(frac: frac, bits: bits)
      case _ where floatIslands.contains(node.op):
        formats[out] = Format(
          frac: defaultBits - 1 - GAP8Arithmetic.integerBits(try maxAbs(out)), bits: defaultBits)
      default:
        throw QuantizationError.unsupportedOp(
          graph: graph.name, node: node.name, op: node.op.rawValue, scheme: .gap8Pow2)
      }
    }
    var table = QuantizationTable(scheme: .gap8Pow2)
    for (name, f) in formats { table[name] = f.quantization }
    var result = graph
    for node in graph.nodes {
      guard let layer = layers[node.name] else { continue }
      try quantizeParameters(node, layer, graph, into: &result, table: &table)
    }
    return QuantizedModel(graph: result, table: table, fusedActivations: [:], options: options)
  }

  /// The default width after checking `bits` and `layerBits`.
  static func validatedBits(_ graph: ModelGraph, _ options: QuantizationOptions) throws -> Int {
    let bits = options.bits ?? 16
    guard bits == 8 || bits == 16 else {
      throw QuantizationError.invalidSetting("The gap8-pow2 scheme quantizes to 8 or 16 bits, got bits = \(bits).")
    }
    for (name, layerBits) in options.layerBits.sorted(by: { $0.key < $1.key }) {
      guard let node = graph.node(named: name), node.op == .conv || node.op == .dense else {
        throw QuantizationError.invalidSetting(
          "The gap8-pow2 bit-width override names '\(name)', which is not a conv or dense node of graph '\(graph.name)'."
        )
      }
      guard layerBits == 8 || layerBits == 16 else {
        throw QuantizationError.invalidSetting(
          "The gap8-pow2 scheme quantizes to 8 or 16 bits, got \(layerBits) bits for layer '\(name)'.")
      }
    }
    return bits
  }

  /// A layer's weight and output formats (gap_quantization's `conv_quant`).
  static func plan(_ node: Node, _ graph: ModelGraph, bits: Int, inFrac: Int, outMax: Double) throws -> Layer {
    let wKey = Parameter.key(node: node.name, role: "weight")
    guard let w = graph.parameters[wKey]?.value else {
      throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: wKey)
    }
    let wMax = w.scalars.reduce(Float(0)) { max($0, abs($1)) }
    var weightFrac = bits - 1 - GAP8Arithmetic.integerBits(Double(wMax))
    let outInt = GAP8Arithmetic.integerBits(outMax)
    let excess = outInt + weightFrac + inFrac - (accumulatorBits - 1)
    if excess > 0 { weightFrac -= excess }
    let norm = max(0, outInt + weightFrac + inFrac - bits + 1)
    return Layer(weightFrac: weightFrac, outFrac: weightFrac + inFrac - norm, bits: bits)
  }

  /// Replaces the float weight and bias by B-bit codes and records their formats.
  static func quantizeParameters(
    _ node: Node, _ layer: Layer, _ graph: ModelGraph, into result: inout ModelGraph, table: inout QuantizationTable
  ) throws {
    let wKey = Parameter.key(node: node.name, role: "weight"), bKey = Parameter.key(node: node.name, role: "bias")
    guard let w = graph.parameters[wKey]?.value else {
      throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: wKey)
    }
    let wq = Format(frac: layer.weightFrac, bits: layer.bits).quantization
    table[wKey] = wq
    result.parameters[wKey] = Parameter(
      shape: w.shape, elementType: wq.elementType, data: codes(w.scalars.map { wq.quantize($0) }, w.shape, layer.bits))
    guard let parameter = graph.parameters[bKey] else { return }
    guard let b = parameter.value else { throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: bKey) }
    let unfolded = Format(frac: layer.outFrac, bits: layer.bits).quantization
    let bq = Format(frac: layer.outFrac - layer.folded, bits: layer.bits).quantization
    table[bKey] = bq
    let values = b.scalars.map { Int(GAP8Arithmetic.roundNorm(Int64(unfolded.quantize($0)), layer.folded)) }
    result.parameters[bKey] = Parameter(
      shape: b.shape, elementType: bq.elementType, data: codes(values, b.shape, layer.bits))
  }

  static func codes(_ values: [Int], _ shape: [Int], _ bits: Int) -> ParameterData {
    bits == 8
      ? .int8(Tensor(shape: shape, scalars: values.map { Int8(truncatingIfNeeded: $0) }))
      : .int16(Tensor(shape: shape, scalars: values.map { Int16(truncatingIfNeeded: $0) }))
  }
}
