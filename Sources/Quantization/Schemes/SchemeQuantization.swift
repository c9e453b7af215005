import Graph

/// The one entry point from a calibrated float graph to a quantized model and its executor,
/// for every ``QuantizationScheme``: the quantize stage, `workbench infer` and the tests call
/// this, and a new scheme is one case in each switch here.
public enum SchemeQuantization {
  /// Quantizes `graph` (BatchNorm folded) for `scheme` from the calibrated `ranges` of its values.
  /// The returned model keeps `ranges`, so its executor can be rebuilt from the model alone.
  /// - Throws: ``QuantizationError`` for missing weights or ranges, or an op the scheme cannot run.
  public static func quantize(
    _ graph: ModelGraph, scheme: QuantizationScheme, ranges: [String: ClosedRange<Float>],
    options: QuantizationOptions = QuantizationOptions()
  ) throws -> QuantizedModel {
    var model: QuantizedModel
    if options.doublePrecision && scheme != .gap8Pow2 {
      throw QuantizationError.invalidSetting(
        "The \(scheme.rawValue) scheme has one accumulation per layer; double_precision applies to gap8-pow2 only.")
    }
    switch scheme {
    case .int8:
      try eightBit(scheme, options)
      model = try Int8Quantizer.quantize(graph, ranges: ranges, perChannel: options.perChannel)
    case .k210:
      try eightBit(scheme, options)
      guard options.perChannel else {
        throw QuantizationError.invalidSetting(
          "The k210 scheme quantizes weights per output channel, as nncase 1.9 does; per_channel = false is not supported."
        )
      }
      model = try K210Executor(graph, ranges: ranges).quantizedModel
    case .gap8Pow2:
      model = try Pow2Quantizer.quantize(graph, ranges: ranges, options: options)
    case .gap8Sq8:
      try eightBit(scheme, options)
      model = try SQ8Quantizer.quantize(graph, ranges: ranges, perChannel: options.perChannel)
    }
    model.ranges = ranges
    model.options = options
    return model
  }

  /// `int8`, `k210` and `gap8-sq8` are 8-bit only: other bit widths are errors.
  static func eightBit(_ scheme: QuantizationScheme, _ options: QuantizationOptions) throws {
    if let bits = options.bits, bits != 8 {
      throw QuantizationError.invalidSetting(
        "The \(scheme.rawValue) scheme quantizes to 8 bits only, got bits = \(bits).")
    }
    if let (layer, bits) = options.layerBits.first(where: { $0.value != 8 }) {
      throw QuantizationError.invalidSetting(
        "The \(scheme.rawValue) scheme quantizes to 8 bits only, got \(bits) bits for layer '\(layer)'.")
    }
  }

  /// The reference executor of `model` in its scheme's arithmetic.
  /// - Throws: ``QuantizationError`` when the model cannot be run (an op the scheme lacks, a
  ///   missing range).
  public static func executor(for model: QuantizedModel) throws -> any QuantizedInference {
    switch model.table.scheme {
    case .int8:
      return try IntegerExecutor(model)
    case .k210:
      guard let ranges = model.ranges else {
        throw QuantizationError.missingRange(graph: model.graph.name, value: model.graph.inputs.first?.name ?? "input")
      }
      return try K210Executor(model.graph, ranges: ranges)
    case .gap8Pow2:
      return try Pow2Executor(model)
    case .gap8Sq8:
      return try SQ8Executor(model)
    }
  }

  /// The fake-quant float executor of `model` (quantize → dequantize at every quantized tensor,
  /// the same rounding points as the integer executor, in float): for calibration searches and
  /// to locate where integer arithmetic departs from float.
  /// - Throws: ``QuantizationError/invalidSetting(_:)`` for a scheme that has none.
  public static func fakeQuantExecutor(for model: QuantizedModel) throws -> any QuantizedInference {
    switch model.table.scheme {
    case .int8, .gap8Pow2, .gap8Sq8:
      return FakeQuantExecutor(model)
    case .k210:
      throw QuantizationError.invalidSetting(
        "The k210 scheme has no fake-quant executor: its KPU layers fold BatchNorm and the activation into integer tables; run it with the integer engine."
      )
    }
  }
}
