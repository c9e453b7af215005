/// A kmodel V3 file (nncase v0.1; loaded by the Kendryte SDK's `kpu_load_kmodel` and MaixPy),
/// laid out as `k210.md` §4 describes: a 28-byte header {version 3, flags (bit 0: 8-bit
/// weights), arch 0, layer count, lowest KPU row used, main buffer bytes, output count}, the
/// outputs {address, bytes} (float32 in the main buffer), one {type, body size} header per
/// layer, then the bodies, each padded to 8 bytes. A `K210_CONV` body holds absolute file offsets
/// of its register words (8-aligned), weights and BN words (128-aligned) and activation table
/// (256-aligned), so the file must be loaded at a 256-byte boundary.
public struct KModelV3: Equatable, Sendable {
  /// Header flags; bit 0 = 8-bit weights (the KPU's `eight_bit_mode`).
  public var flags: UInt32 = 1
  /// The lowest KPU RAM row any layer uses.
  public var maxStartAddress: Int
  /// Bytes the runtime allocates for the main buffer.
  public var mainMemoryUsage: Int
  /// The outputs: byte ranges of float32 values in the main buffer.
  public var outputs: [KModelV3Range]
  /// The layers in execution order.
  public var layers: [KModelV3Layer]

  public init(maxStartAddress: Int, mainMemoryUsage: Int, outputs: [KModelV3Range], layers: [KModelV3Layer]) {
    self.maxStartAddress = maxStartAddress
    self.mainMemoryUsage = mainMemoryUsage
    self.outputs = outputs
    self.layers = layers
  }

  /// The header's size in bytes.
  public static let headerBytes = 28

  /// The file's bytes (layer offsets inside conv bodies are filled in).
  public func serialized() throws -> [UInt8] {
    var w = ByteWriter()
    for v in [3, Int(flags), 0, layers.count, maxStartAddress, mainMemoryUsage, outputs.count] { w.u32(v) }
    for o in outputs {
      w.u32(o.start)
      w.u32(o.size)
    }
    let layerHeaders = w.bytes.count
    for _ in layers { w.append([UInt8](repeating: 0, count: 8)) }
    for (i, layer) in layers.enumerated() {
      let start = w.bytes.count
      try Self.writeBody(layer, index: i, into: &w)
      w.pad(to: 8)
      var h = ByteWriter()
      h.u32(layer.typeID)
      h.u32(w.bytes.count - start)
      w.bytes.replaceSubrange((layerHeaders + 8 * i)..<(layerHeaders + 8 * i + 8), with: h.bytes)
    }
    return w.bytes
  }

  static func writeBody(_ layer: KModelV3Layer, index: Int, into w: inout ByteWriter) throws {
    func pool(_ p: KModelV3Pool) {
      for v in [0, p.input, p.output, p.inShape.width, p.inShape.height, p.inShape.channels, p.outShape.width] {
        w.u32(v)
      }
      for v in [p.outShape.height, p.outShape.channels, p.kernelWidth, p.kernelHeight, p.strideWidth] { w.u32(v) }
      for v in [p.strideHeight, p.paddingWidth, p.paddingHeight] { w.u32(v) }
    }
    switch layer {
    case let .add(a, b, output, count): for v in [0, a, b, output, count] { w.u32(v) }
    case let .globalAveragePool2D(input, output, kernelSize, channels):
      for v in [0, input, output, kernelSize, channels] { w.u32(v) }
    case let .quantizedMaxPool2D(p): pool(p)
    case let .averagePool2D(p, activation):
      pool(p)
      w.u32(activation)
    case let .quantize(input, output, count, scale, bias), let .dequantize(input, output, count, scale, bias):
      for v in [0, input, output, count] { w.u32(v) }
      w.f32(scale)
      w.f32(bias)
    case let .requantize(input, output, count, table):
      for v in [0, input, output, count] { w.u32(v) }
      w.append(table)
    case let .l2Normalization(input, output, channels), let .softmax(input, output, channels),
      let .logistic(input, output, channels):
      for v in [0, input, output, channels] { w.u32(v) }
    case let .concat(output, inputs):
      for v in [0, output, inputs.count] { w.u32(v) }
      for r in inputs {
        w.u32(r.start)
        w.u32(r.size)
      }
    case let .fullyConnected(input, output, inChannels, outChannels, activation, weights, bias):
      for v in [0, input, output, inChannels, outChannels, activation] { w.u32(v) }
      for x in weights + bias { w.f32(x) }
    case let .tensorflowFlatten(input, output, shape):
      for v in [0, input, output, shape.width, shape.height, shape.channels] { w.u32(v) }
    case let .resizeNearestNeighbor(input, output, inShape, outWidth, outHeight, alignCorners, _):
      for v in [0, input, output, inShape.width, inShape.height, inShape.channels, outWidth, outHeight, alignCorners] {
        w.u32(v)
      }
    case let .upload(input, kpuRow, width, height, channels):
      for v in [0, input, kpuRow, width, height, channels] { w.u32(v) }
    case let .conv(c):
      let header = w.bytes.count
      w.append([UInt8](repeating: 0, count: 24))
      w.pad(to: 8)
      let layerOffset = w.bytes.count
      for word in try c.argument.words(layer: "layer \(index)") { w.u64(word) }
      w.pad(to: 128)
      let weightsOffset = w.bytes.count
      w.append(c.weights)
      w.pad(to: 128)
      let bnOffset = w.bytes.count
      for word in c.batchNorm { w.u64(word) }
      w.pad(to: 256)
      let actOffset = w.bytes.count
      w.append(c.activation)
      var h = ByteWriter()
      for v in [
        c.mainMemoryOutput == nil ? 0 : 1, c.mainMemoryOutput ?? 0, layerOffset, weightsOffset, bnOffset, actOffset,
      ] {
        h.u32(v)
      }
      w.bytes.replaceSubrange(header..<(header + 24), with: h.bytes)
    }
  }
}
