import Graph
import K210
import Quantization

extension V5Lowering {
  /// One k210 function for the chain of KPU layers starting at `node`: each next layer is the
  /// only reader of the previous one's output (which is no model output) and reads it in the
  /// same format; a depthwise stride-2 layer (stride 1 on the KPU, then a CPU SLICE) ends it.
  mutating func island(from node: Node) throws {
    guard let firstLayer = executor.layers[node.name] else { return }
    var chain: [(node: Node, layer: K210Executor.KPULayer)] = [(node, firstLayer)]
    while let n = chain.last?.node, let l = chain.last?.layer {
      if l.quantized.layer.depthwise && l.stride == 2 { break }
      let value = kpuOutput(n, l)
      guard let r = readers[value], r.count == 1, let next = executor.layers[r[0].name],
        !graph.outputs.contains(where: { $0.name == value }), next.quantized.input == l.quantized.output
      else { break }
      chain.append((r[0], next))
    }
    for c in chain { done.insert(c.node.name) }
    let inValue = node.inputs[0], inShape = shapes[inValue] ?? []
    let input = try codeRef(inValue, firstLayer.quantized.input, for: node.name)
    // the KPU shape of each layer's output: pooled for stride 2, full size for depthwise stride 2
    var kpuShapes: [String: [Int]] = [inValue: inShape]
    var planLayers: [K210Layer] = []
    var previous = inValue
    for c in chain {
      let s = shapes[previous] ?? []
      let pooled = c.layer.stride == 2 && !c.layer.quantized.layer.depthwise
      let value = kpuOutput(c.node, c.layer)
      kpuShapes[value] = [1, c.layer.quantized.layer.outChannels, pooled ? s[2] / 2 : s[2], pooled ? s[3] / 2 : s[3]]
      planLayers.append(
        K210Layer(
          name: c.node.name, nodes: [c.node.name], summary: "conv", processor: .kpu, inputShape: s,
          outputShape: kpuShapes[value] ?? [], inputs: [previous], output: value))
      previous = value
    }
    let plan = KPUMemoryPlan(layers: planLayers, shapes: kpuShapes, capacity: limits.kpuRAM)
    if let failure = plan.failure { throw KModelError.kpuMemory(failure.description) }
    var offsets: [String: Int] = [:]
    for a in plan.allocations { offsets[a.value] = a.offset }
    let outShape = kpuShapes[previous] ?? []
    let entry = k210Text.bytes.count
    try k210Code(chain, inValue: inValue, kpuShapes: kpuShapes, offsets: offsets)
    let (inCount, outCount) = (inShape.reduce(1, *), outShape.reduce(1, *))
    k210Functions.append(
      KModelV5.Function(
        inputPool: inCount, outputPool: outCount,
        inputs: [.init(.init(location: 0, datatype: 4, start: 0, size: inCount), shape: inShape)],
        outputs: [.init(.init(location: 1, datatype: 4, start: 0, size: outCount), shape: outShape)],
        entrypoint: entry, textSize: k210Text.bytes.count - entry))
    let output = newBuffer(outCount)
    append(.call(function: k210Functions.count - 1, input, inShape: inShape, output, outShape: outShape))
    guard let lastNode = chain.last?.node, let last = chain.last?.layer else { return }
    var result = output
    if last.quantized.layer.depthwise && last.stride == 2 {
      result = newBuffer(count(kpuOutput(lastNode, last)))
      append(.slice(output, result, inShape: outShape, stride: 2))
    }
    codes[kpuOutput(lastNode, last)] = [(last.quantized.output, result)]
  }

  /// The k210 `.text` of a chain (upload, one `kpu_conv2d` per layer, download) and its
  /// weights, BN words and activation tables in the k210 `.rdata`.
  mutating func k210Code(
    _ chain: [(node: Node, layer: K210Executor.KPULayer)], inValue: String, kpuShapes: [String: [Int]],
    offsets: [String: Int]
  ) throws {
    func range(_ location: UInt8, _ type: UInt8, _ start: Int, _ size: Int) {
      k210Text.append([location, type, 0, 0])
      k210Text.u32(start)
      k210Text.u32(size)
    }
    func kpuBytes(_ s: [Int]) -> Int { KPURowLayout.bytes(channels: s[1], height: s[2], width: s[3]) }
    func exchange(_ op: UInt8, _ from: (UInt8, Int, Int), _ to: (UInt8, Int, Int), _ shape: [Int]) {
      k210Text.append([op, 0, 0, 0])
      range(from.0, 4, from.1, from.2)
      range(to.0, 4, to.1, to.2)
      for d in shape { k210Text.u32(d) }
    }
    let inShape = kpuShapes[inValue] ?? []
    guard let inOffset = offsets[inValue] else { throw KModelError.kpuMemory("the plan placed no map for the input") }
    exchange(0, (0, 0, inShape.reduce(1, *)), (64, inOffset, kpuBytes(inShape)), inShape)
    var previous = inValue
    for c in chain {
      let q = c.layer.quantized
      let s = kpuShapes[previous] ?? [], value = kpuOutput(c.node, c.layer), o = kpuShapes[value] ?? []
      // nncase pads maps below 4×4 on the CPU (`pad_conv`); this writer does not yet, and the
      // KPU does not take them natively (nncase issue #533)
      if min(s[2], s[3], o[2], o[3]) < limits.minSide {
        throw KModelError.unsupportedOp(
          node: c.node.name, op: c.node.op.rawValue,
          reason:
            "its map is \(s[3])×\(s[2]) → \(o[3])×\(o[2]), smaller than the KPU's \(limits.minSide)×\(limits.minSide); the V3 writer pads it (export.kmodel.version 3), or enlarge the input so every map is at least \(limits.minSide)×\(limits.minSide)."
        )
      }
      var a = try V3Lowering.argument(
        q.layer, height: s[2], width: s[3], outHeight: o[2], outWidth: o[3], pool: o[2] == s[2] ? 0 : 5,
        node: c.node.name)
      guard let src = offsets[previous], let dst = offsets[value] else {
        throw KModelError.kpuMemory("the plan placed no map for layer \(c.node.name)")
      }
      (a.imageSourceAddress, a.imageDestinationAddress) = (src / 64, dst / 64)
      k210Data.pad(to: 8)
      let w = k210Data.bytes.count
      k210Data.append(q.layer.weights)
      k210Data.pad(to: 8)
      let bn = k210Data.bytes.count
      for b in q.layer.batchNorm { k210Data.u64(try KPUTables.batchNormWord(b, layer: c.node.name)) }
      k210Data.pad(to: 256)
      let act = k210Data.bytes.count
      k210Data.append(try KPUTables.activationBytes(q.layer.activation, layer: c.node.name))
      k210Text.append([2, 0, 0, 0])
      range(2, 4, w, q.layer.weights.count)
      range(2, 7, bn, 8 * q.layer.batchNorm.count)
      range(2, 4, act, KPUTables.activationTableBytes)
      range(0, 0, 0, 0)
      k210Text.u32(1)
      for word in try a.words(layer: c.node.name) { k210Text.u64(word) }
      previous = value
    }
    let outShape = kpuShapes[previous] ?? []
    guard let outOffset = offsets[previous] else {
      throw KModelError.kpuMemory("the plan placed no map for the output")
    }
    exchange(1, (64, outOffset, kpuBytes(outShape)), (1, 0, outShape.reduce(1, *)), outShape)
  }
}
