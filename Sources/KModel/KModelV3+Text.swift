extension KModelV3 {
  /// A human-readable description: the header, the outputs, and every layer with its fields
  /// (for `K210_CONV`, the decoded register words and where its tables lie in the file).
  public var text: String {
    var lines = [
      "kmodel V3 (Kendryte SDK kpu_load_kmodel / nncase v0.1)",
      "flags \(flags) (\(flags & 1 == 1 ? "8-bit" : "16-bit") weights), arch 0, \(layers.count) layers,"
        + " main buffer \(mainMemoryUsage) bytes, lowest KPU row \(maxStartAddress)"
        + " (\(max(0, 32768 - maxStartAddress) * 64) bytes of KPU RAM from the top)",
      "outputs:",
    ]
    for (i, o) in outputs.enumerated() {
      lines.append("  \(i): main+\(o.start), \(o.size) bytes (\(o.size / 4) float32)")
    }
    lines.append("layers:")
    for (i, layer) in layers.enumerated() {
      lines.append("  \(i) \(layer.typeName): \(Self.describe(layer))")
      if case let .conv(c) = layer {
        let fields = KPULayerArgument.fields.map { "\($0.name)=\(c.argument.value($0))" }
        for start in stride(from: 0, to: fields.count, by: 6) {
          lines.append("      " + fields[start..<min(start + 6, fields.count)].joined(separator: " "))
        }
      }
    }
    return lines.joined(separator: "\n")
  }

  static func describe(_ layer: KModelV3Layer) -> String {
    func pool(_ p: KModelV3Pool) -> String {
      "main+\(p.input) \(p.inShape) → main+\(p.output) \(p.outShape), kernel \(p.kernelHeight)×\(p.kernelWidth),"
        + " stride \(p.strideHeight)×\(p.strideWidth), padding \(p.paddingHeight)×\(p.paddingWidth)"
    }
    let acts = ["linear", "relu", "relu6"]
    switch layer {
    case let .conv(c):
      let a = c.argument
      let pools = [
        "bypass", "max 2×2/2", "mean 2×2/2", "max 4×4/4", "mean 4×4/4", "left_top 2/2", "right_top 2/2",
        "left_top 4/4", "mean 2×2/1", "max 2×2/1",
      ]
      let pool = a.poolType < pools.count ? pools[a.poolType] : "\(a.poolType)?"
      return "\(a.depthwise == 1 ? "depthwise " : "")\(a.filter)×\(a.filter),"
        + " \(a.inputChannels)×\(a.inputHeight)×\(a.inputWidth) @row \(a.imageSourceAddress)"
        + " → \(a.outputChannels)×\(a.outputHeight)×\(a.outputWidth) @row \(a.imageDestinationAddress),"
        + " pool \(pool), \(a.loadTimeMinus1 + 1) weight load(s) of \(a.parameterSize) bytes,"
        + (c.mainMemoryOutput.map { " main output main+\($0)," } ?? "")
        + " words @\(c.offsets.layer), weights @\(c.offsets.weights), BN @\(c.offsets.batchNorm),"
        + " activation @\(c.offsets.activation)"
    case let .upload(input, row, w, h, c): return "main+\(input) → KPU row \(row), \(c)×\(h)×\(w)"
    case let .add(a, b, output, count): return "main+\(a) + main+\(b) → main+\(output), \(count) floats"
    case let .globalAveragePool2D(input, output, k, c):
      return "main+\(input) → main+\(output), \(c) channels of \(k)"
    case let .quantizedMaxPool2D(p): return pool(p)
    case let .averagePool2D(p, act): return pool(p) + ", \(act < 3 ? acts[act] : "\(act)?")"
    case let .quantize(i, o, n, s, b), let .dequantize(i, o, n, s, b):
      return "main+\(i) → main+\(o), \(n) values, scale \(s), bias \(b)"
    case let .requantize(i, o, n, table):
      return "main+\(i) → main+\(o), \(n) codes, table[0, 128, 255] = \(table[0]), \(table[128]), \(table[255])"
    case let .l2Normalization(i, o, c), let .softmax(i, o, c), let .logistic(i, o, c):
      return "main+\(i) → main+\(o), \(c) floats"
    case let .concat(o, inputs):
      // a pad to 4×4 copies a few bytes per image row: list only the first ranges of long ones
      let shown = inputs.prefix(inputs.count > 8 ? 3 : inputs.count).map { "main+\($0.start) (\($0.size) bytes)" }
      let rest =
        inputs.count > 8 ? ["… \(inputs.count) ranges, \(inputs.reduce(0) { $0 + $1.size }) bytes in all"] : []
      return (shown + rest).joined(separator: " ++ ") + " → main+\(o)"
    case let .fullyConnected(i, o, ic, oc, act, _, _):
      return "main+\(i) → main+\(o), \(ic) → \(oc), \(act < 3 ? acts[act] : "\(act)?")"
    case let .tensorflowFlatten(i, o, s): return "main+\(i) \(s) → main+\(o) (NHWC order)"
    case let .resizeNearestNeighbor(i, o, s, w, h, align, _):
      return "main+\(i) \(s) → main+\(o) \(s.channels)×\(h)×\(w), align_corners \(align)"
    }
  }
}
