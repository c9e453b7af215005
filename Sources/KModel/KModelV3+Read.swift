extension KModelV3 {
  /// Parses a V3 file.
  /// - Throws: ``KModelError/malformed(_:)`` for another version, an unknown layer type or a
  ///   truncated body.
  public init(bytes: [UInt8]) throws {
    var r = ByteReader(bytes)
    let version = try r.u32("version")
    guard version == 3 else {
      let kmdl = version == 0x4B4D_444C
      throw KModelError.malformed(
        kmdl
          ? "it is an nncase kmodel ('KMDL', V4 or V5); this reader reads V3 only"
          : "version \(version); this reader reads V3 only")
    }
    flags = try r.u32("flags")
    guard try r.u32("arch") == 0 else { throw KModelError.malformed("arch is not 0 (the SDK requires 0)") }
    let layerCount = try r.int("layers_length")
    maxStartAddress = try r.int("max_start_address")
    mainMemoryUsage = try r.int("main_mem_usage")
    let outputCount = try r.int("output_count")
    guard layerCount < bytes.count / 8, outputCount < bytes.count / 8 else {
      throw KModelError.malformed("\(layerCount) layers and \(outputCount) outputs cannot fit in \(bytes.count) bytes")
    }
    outputs = try (0..<outputCount).map { _ in KModelV3Range(start: try r.int("output"), size: try r.int("output")) }
    var headers: [(type: UInt32, size: Int)] = []
    for _ in 0..<layerCount { headers.append((try r.u32("layer type"), try r.int("layer body size"))) }
    layers = []
    for (i, h) in headers.enumerated() {
      let body = try r.take(h.size, "body of layer \(i)")
      layers.append(try Self.readBody(type: h.type, ByteReader(Array(body)), file: bytes, index: i, flags: flags))
    }
  }

  static func readBody(type: UInt32, _ body: ByteReader, file: [UInt8], index: Int, flags: UInt32) throws
    -> KModelV3Layer
  {
    var r = body
    let what = "layer \(index) (\(KModelV3Layer.typeName(type)))"
    func u() throws -> Int { try r.int(what) }
    func shape() throws -> KModelV3Shape { KModelV3Shape(width: try u(), height: try u(), channels: try u()) }
    func pool() throws -> KModelV3Pool {
      KModelV3Pool(
        input: try u(), output: try u(), inShape: try shape(), outShape: try shape(), kernelWidth: try u(),
        kernelHeight: try u(), strideWidth: try u(), strideHeight: try u(), paddingWidth: try u(),
        paddingHeight: try u())
    }
    let layerFlags = try u()
    switch type {
    case 1: return .add(a: try u(), b: try u(), output: try u(), count: try u())
    case 5: return .globalAveragePool2D(input: try u(), output: try u(), kernelSize: try u(), channels: try u())
    case 8: return .quantizedMaxPool2D(try pool())
    case 9:
      let p = try pool()
      return .averagePool2D(p, activation: try u())
    case 11, 12:
      let (input, output, count) = (try u(), try u(), try u())
      let (scale, bias) = (try r.f32(what), try r.f32(what))
      return type == 11
        ? .quantize(input: input, output: output, count: count, scale: scale, bias: bias)
        : .dequantize(input: input, output: output, count: count, scale: scale, bias: bias)
    case 13:
      let (input, output, count) = (try u(), try u(), try u())
      return .requantize(input: input, output: output, count: count, table: Array(try r.take(256, what)))
    case 14: return .l2Normalization(input: try u(), output: try u(), channels: try u())
    case 15: return .softmax(input: try u(), output: try u(), channels: try u())
    case 16, 17:
      let (output, n) = (try u(), try u())
      guard n <= r.bytes.count / 8 else { throw KModelError.malformed("\(what) lists \(n) inputs") }
      return .concat(output: output, inputs: try (0..<n).map { _ in KModelV3Range(start: try u(), size: try u()) })
    case 18:
      let (input, output, ic, oc, act) = (try u(), try u(), try u(), try u(), try u())
      guard ic * oc + oc <= r.bytes.count / 4 else { throw KModelError.malformed("\(what) is cut short") }
      let weights = try (0..<(ic * oc)).map { _ in try r.f32(what) }
      let bias = try (0..<oc).map { _ in try r.f32(what) }
      return .fullyConnected(
        input: input, output: output, inChannels: ic, outChannels: oc, activation: act, weights: weights, bias: bias)
    case 20: return .tensorflowFlatten(input: try u(), output: try u(), shape: try shape())
    case 22, 23:
      return .resizeNearestNeighbor(
        input: try u(), output: try u(), inShape: try shape(), outWidth: try u(), outHeight: try u(),
        alignCorners: try u(), quantized: type == 23)
    case 25: return .logistic(input: try u(), output: try u(), channels: try u())
    case 10243:
      return .upload(input: try u(), kpuRow: try u(), width: try u(), height: try u(), channels: try u())
    case 10240:
      let mainOut = try u()
      let (layerOffset, weightsOffset, bnOffset, actOffset) = (try u(), try u(), try u(), try u())
      guard flags & 1 == 1 else {
        throw KModelError.malformed("the model has 16-bit weights; this reader reads 8-bit weights only")
      }
      var f = ByteReader(file, offset: layerOffset)
      let argument = try KPULayerArgument(words: try (0..<12).map { _ in try f.u64("\(what) register words") })
      let taps = argument.filter * argument.filter
      let oc = argument.outputChannels
      let weightCount = argument.depthwise == 1 ? oc * taps : oc * argument.inputChannels * taps
      f.offset = weightsOffset
      let weights = Array(try f.take(weightCount, "\(what) weights"))
      f.offset = bnOffset
      let bn = try (0..<oc).map { _ in try f.u64("\(what) BN words") }
      f.offset = actOffset
      let act = Array(try f.take(KPUTables.activationTableBytes, "\(what) activation table"))
      guard actOffset % 256 == 0 else {
        throw KModelError.malformed("\(what): the activation table at \(actOffset) is not 256-byte aligned")
      }
      return .conv(
        KModelV3Conv(
          mainMemoryOutput: layerFlags & 1 == 1 ? mainOut : nil, argument: argument, weights: weights, batchNorm: bn,
          activation: act,
          offsets: .init(layer: layerOffset, weights: weightsOffset, batchNorm: bnOffset, activation: actOffset)))
    default:
      throw KModelError.malformed("\(what): type \(type) is not implemented by this reader")
    }
  }
}
