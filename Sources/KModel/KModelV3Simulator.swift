import Foundation

/// Runs a V3 kmodel's bytes as the Kendryte SDK runtime does (`kpu_run_kmodel` / `ai_step`):
/// the uint8 input is uploaded to the first layer's `image_src_addr`, KPU layers run on a host
/// KPU RAM from their decoded register words (``KPUSimulator``), CPU layers on a host main buffer
/// with the SDK's semantics (float32 layers in single precision; QUANTIZE is
/// `roundf((x − bias) · (1/scale))` clamped to 0…255, DEQUANTIZE `q · scale + bias`), and the
/// outputs are read from the output table as float32.
///
/// The device's C compiler may contract `q · scale + bias` into a fused multiply-add; the
/// simulator does not, so a float output can differ from a board's in the last bit.
public struct KModelV3Simulator {
  /// The output of one layer, as it lies in memory after the layer ran.
  public enum LayerOutput: Equatable, Sendable {
    /// uint8 codes (KPU layers: dense NCHW after pooling).
    case codes([UInt8])
    /// float32 values.
    case floats([Float])
  }

  /// The parsed model.
  public let model: KModelV3

  /// Whether exact 2× nearest resizes of uint8 codes run the fast path
  /// (``KModelV3Options/upsampleFastPath``; the bytes are the same either way).
  public var upsampleFastPath: Bool

  /// A simulator for `model`.
  public init(_ model: KModelV3, upsampleFastPath: Bool = true) {
    (self.model, self.upsampleFastPath) = (model, upsampleFastPath)
  }

  /// A simulator for a file's bytes.
  public init(bytes: [UInt8], upsampleFastPath: Bool = true) throws {
    (self.model, self.upsampleFastPath) = (try KModelV3(bytes: bytes), upsampleFastPath)
  }

  /// The shape {width, height, channels} of the uint8 input: the first layer's input.
  public var inputShape: KModelV3Shape? {
    guard case let .conv(c)? = model.layers.first else { return nil }
    let a = c.argument
    return KModelV3Shape(width: a.inputWidth, height: a.inputHeight, channels: a.inputChannels)
  }

  /// Runs the model on one uint8 NCHW image and returns the outputs (float32).
  /// `observe` receives every layer's index and output.
  public func run(_ input: [UInt8], observe: (Int, LayerOutput) -> Void = { _, _ in }) throws -> [[Float]] {
    guard case let .conv(first)? = model.layers.first, let shape = inputShape else {
      throw KModelError.malformed("the first layer is not K210_CONV (the SDK's kpu_run_kmodel requires it)")
    }
    guard input.count == shape.count else {
      throw KModelError.badInput("the model takes \(shape) = \(shape.count) uint8 codes, got \(input.count)")
    }
    var kpu = KPUSimulator()
    try kpu.upload(
      input[...], row: first.argument.imageSourceAddress, width: shape.width, height: shape.height,
      channels: shape.channels)
    var memory = MainMemory(count: model.mainMemoryUsage)
    for (i, layer) in model.layers.enumerated() {
      observe(i, try step(layer, kpu: &kpu, memory: &memory))
    }
    return try model.outputs.map { try memory.floats($0.start, $0.size / 4) }
  }

  func step(_ layer: KModelV3Layer, kpu: inout KPUSimulator, memory m: inout MainMemory) throws -> LayerOutput {
    switch layer {
    case let .conv(c):
      let out = try kpu.run(c.argument, weights: c.weights, batchNorm: c.batchNorm, activation: c.activation)
      if let address = c.mainMemoryOutput { try m.write(out, at: address) }
      return .codes(out)
    case let .upload(input, row, width, height, channels):
      let data = try m.codes(input, width * height * channels)
      try kpu.upload(data[...], row: row, width: width, height: height, channels: channels)
      return .codes(data)
    case let .add(a, b, output, count):
      let (x, y) = (try m.floats(a, count), try m.floats(b, count))
      return try m.write(zip(x, y).map { $0 + $1 }, at: output)
    case let .quantize(input, output, count, scale, bias):
      let q = try m.floats(input, count).map { V3CPUKernels.quantize($0, scale: scale, bias: bias) }
      return try m.write(q, at: output)
    case let .dequantize(input, output, count, scale, bias):
      return try m.write(
        try m.codes(input, count).map { V3CPUKernels.dequantize($0, scale: scale, bias: bias) }, at: output)
    case let .requantize(input, output, count, table):
      return try m.write(try m.codes(input, count).map { table[Int($0)] }, at: output)
    case let .concat(output, inputs):
      var bytes: [UInt8] = []
      for r in inputs { bytes += try m.bytes(r.start, r.size) }
      try m.writeBytes(bytes, at: output)
      return .codes(bytes)
    case let .quantizedMaxPool2D(p):
      let x = try m.codes(p.input, p.inShape.count)
      return try m.write(V3CPUKernels.maxPool(x, p), at: p.output)
    case let .averagePool2D(p, activation):
      let x = try m.floats(p.input, p.inShape.count)
      return try m.write(V3CPUKernels.activate(V3CPUKernels.averagePool(x, p), activation), at: p.output)
    case let .globalAveragePool2D(input, output, kernelSize, channels):
      let x = try m.floats(input, kernelSize * channels)
      return try m.write(V3CPUKernels.globalAveragePool(x, kernelSize: kernelSize, channels: channels), at: output)
    case let .fullyConnected(input, output, ic, oc, activation, weights, bias):
      let x = try m.floats(input, ic)
      let y = V3CPUKernels.fullyConnected(x, weights: weights, bias: bias, inChannels: ic, outChannels: oc)
      return try m.write(V3CPUKernels.activate(y, activation), at: output)
    case let .logistic(input, output, channels):
      return try m.write(try m.floats(input, channels).map { 1 / (1 + Foundation.exp(-$0)) }, at: output)
    case let .l2Normalization(input, output, channels):
      return try m.write(V3CPUKernels.l2Normalize(try m.floats(input, channels)), at: output)
    case let .softmax(input, output, channels):
      return try m.write(V3CPUKernels.softmax(try m.floats(input, channels)), at: output)
    case let .tensorflowFlatten(input, output, s):
      let x = try m.floats(input, s.count)
      var y: [Float] = []
      for oy in 0..<s.height {
        for ox in 0..<s.width { for c in 0..<s.channels { y.append(x[(c * s.height + oy) * s.width + ox]) } }
      }
      return try m.write(y, at: output)
    case let .resizeNearestNeighbor(input, output, s, _, _, _, true)
    where upsampleFastPath && V3CPUKernels.isExactUpsample2x(layer):
      return try m.write(V3CPUKernels.upsample2x(try m.codes(input, s.count), s), at: output)
    case let .resizeNearestNeighbor(input, output, s, ow, oh, _, quantized):
      let index = V3CPUKernels.resizeNearestIndex(s, outWidth: ow, outHeight: oh)
      if quantized {
        let x = try m.codes(input, s.count)
        return try m.write(index.map { x[$0] }, at: output)
      }
      let x = try m.floats(input, s.count)
      return try m.write(index.map { x[$0] }, at: output)
    }
  }
}
