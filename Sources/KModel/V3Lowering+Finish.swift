import K210

extension V3Lowering {
  /// Adds the outputs (float32), places the buffers and replaces buffer ids by addresses.
  mutating func finish() throws -> KModelV3 {
    var outputIDs: [(id: Int, bytes: Int)] = []
    for o in graph.outputs {
      let id = try floatBuffer(o.name, for: "the model output")
      outputIDs.append((id, 4 * count(o.name)))
    }
    for o in outputIDs { main[o.id].last = Int.max }
    // KPU RAM: nncase's first-fit plan over the KPU layers, stored top down (v0.1's allocator
    // grows down from row 32768)
    let planLayers = kpuLayers.enumerated().map { i, l in
      K210Layer(
        name: "kpu layer \(i)", nodes: [], summary: "conv", processor: .kpu, inputShape: kpu[l.input],
        outputShape: kpu[l.output], inputs: ["k\(l.input)"], output: "k\(l.output)")
    }
    var kpuShapes: [String: [Int]] = [:]
    for (i, s) in kpu.enumerated() { kpuShapes["k\(i)"] = s }
    let plan = KPUMemoryPlan(layers: planLayers, shapes: kpuShapes, capacity: limits.kpuRAM)
    if let failure = plan.failure { throw KModelError.kpuMemory(failure.description) }
    var rows = [Int](repeating: 0, count: kpu.count)
    for a in plan.allocations {
      guard let i = Int(a.value.dropFirst()) else { continue }
      rows[i] = (limits.kpuRAM - a.offset - a.bytes) / 64
    }
    let (addresses, usage) = Self.placeMain(main)
    let relocated = layers.map { Self.relocate($0, main: addresses, kpu: rows) }
    return KModelV3(
      maxStartAddress: rows.min() ?? limits.kpuRAM / 64, mainMemoryUsage: usage,
      outputs: outputIDs.map { KModelV3Range(start: addresses[$0.id], size: $0.bytes) }, layers: relocated)
  }

  /// First-fit placement of main buffers by lifetime (a buffer is live from the layer that
  /// writes it to the last layer that reads it, both included), 8-byte aligned.
  static func placeMain(_ buffers: [(bytes: Int, first: Int, last: Int)]) -> (addresses: [Int], usage: Int) {
    var addresses = [Int](repeating: 0, count: buffers.count)
    var placed: [Int] = []
    var usage = 0
    for i in buffers.indices.sorted(by: { (buffers[$0].first, $0) < (buffers[$1].first, $1) }) {
      let b = buffers[i]
      let size = (b.bytes + 7) / 8 * 8
      let live = placed.filter { buffers[$0].last >= b.first }.sorted { addresses[$0] < addresses[$1] }
      var offset = 0
      for j in live {
        if addresses[j] - offset >= size { break }
        offset = max(offset, addresses[j] + (buffers[j].bytes + 7) / 8 * 8)
      }
      addresses[i] = offset
      placed.append(i)
      usage = max(usage, offset + size)
    }
    return (addresses, usage)
  }

  /// A layer with buffer ids replaced by main-buffer addresses and KPU rows.
  static func relocate(_ layer: KModelV3Layer, main m: [Int], kpu k: [Int]) -> KModelV3Layer {
    func pool(_ p: KModelV3Pool) -> KModelV3Pool {
      var p = p
      (p.input, p.output) = (m[p.input], m[p.output])
      return p
    }
    switch layer {
    case let .add(a, b, output, count): return .add(a: m[a], b: m[b], output: m[output], count: count)
    case let .globalAveragePool2D(i, o, k, c):
      return .globalAveragePool2D(input: m[i], output: m[o], kernelSize: k, channels: c)
    case let .quantizedMaxPool2D(p): return .quantizedMaxPool2D(pool(p))
    case let .averagePool2D(p, act): return .averagePool2D(pool(p), activation: act)
    case let .quantize(i, o, n, s, b): return .quantize(input: m[i], output: m[o], count: n, scale: s, bias: b)
    case let .dequantize(i, o, n, s, b): return .dequantize(input: m[i], output: m[o], count: n, scale: s, bias: b)
    case let .requantize(i, o, n, t): return .requantize(input: m[i], output: m[o], count: n, table: t)
    case let .l2Normalization(i, o, c): return .l2Normalization(input: m[i], output: m[o], channels: c)
    case let .softmax(i, o, c): return .softmax(input: m[i], output: m[o], channels: c)
    case let .logistic(i, o, c): return .logistic(input: m[i], output: m[o], channels: c)
    case let .concat(o, inputs):
      return .concat(output: m[o], inputs: inputs.map { KModelV3Range(start: m[$0.start], size: $0.size) })
    case let .fullyConnected(i, o, ic, oc, act, w, b):
      return .fullyConnected(
        input: m[i], output: m[o], inChannels: ic, outChannels: oc, activation: act, weights: w, bias: b)
    case let .tensorflowFlatten(i, o, s): return .tensorflowFlatten(input: m[i], output: m[o], shape: s)
    case let .resizeNearestNeighbor(i, o, s, w, h, a, q):
      return .resizeNearestNeighbor(
        input: m[i], output: m[o], inShape: s, outWidth: w, outHeight: h, alignCorners: a, quantized: q)
    case let .upload(i, row, w, h, c): return .upload(input: m[i], kpuRow: k[row], width: w, height: h, channels: c)
    case var .conv(c):
      c.mainMemoryOutput = c.mainMemoryOutput.map { m[$0] }
      c.argument.imageSourceAddress = k[c.argument.imageSourceAddress]
      c.argument.imageDestinationAddress = k[c.argument.imageDestinationAddress]
      return .conv(c)
    }
  }
}
