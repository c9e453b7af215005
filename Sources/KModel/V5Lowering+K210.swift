import Graph
import K210
import Quantization

extension V5Lowering {
  /// One k210 function for the chain of KPU layers starting at `node`: each next layer is the
  /// only reader of the previous one's output (which is no model output) and reads it in the
  /// same format. A layer whose KPU map is not its graph output ends the chain, and a CPU SLICE
  /// takes the output from the KPU map: a depthwise stride-2 layer (stride 1 on the KPU), a
  /// stride-2 layer whose pooled map would be below 4×4 (likewise), a valid-padded layer (from
  /// pixel (1, 1)), a padded small map (its top-left corner).
  ///
  /// Maps below 4×4 run as nncase 1.9 runs them (`src/transforms/neutral/pad_conv.cpp`; compiled
  /// for k210 a 3×3 model gives PAD → QUANTIZE → CALL → DEQUANTIZE → crop per layer): the layer's
  /// input is PADded on the bottom and right to 4 — here on the uint8 codes, with the layer's pad
  /// value, the input zero point, which is what nncase's float 0 quantizes to — the KPU runs the
  /// layer on the padded map with its usual padding, and the corner it returns is every tap the
  /// unpadded layer reads, so the codes equal the executor's.
  mutating func island(from node: Node) throws {
    guard let firstLayer = executor.layers[node.name] else { return }
    let inValue = node.inputs[0], inShape = shapes[inValue] ?? []
    guard inShape.count == 4 else {
      throw KModelError.unsupportedOp(node: node.name, op: node.op.rawValue, reason: "its input is not a 4-D map.")
    }
    let side = limits.minSide
    let padded = [inShape[0], inShape[1], max(inShape[2], side), max(inShape[3], side)]
    var chain: [(node: Node, layer: K210Executor.KPULayer)] = [(node, firstLayer)]
    // the KPU shape of each map: the input padded, a layer's output as the KPU leaves it
    var kpuShapes: [String: [Int]] = [inValue: padded]
    var planLayers: [K210Layer] = []
    var previous = inValue
    while let n = chain.last?.node, let l = chain.last?.layer {
      let s = kpuShapes[previous] ?? []
      let value = kpuOutput(n, l)
      let o = Self.kpuOutputShape(l, input: s, minSide: side)
      kpuShapes[value] = o
      planLayers.append(
        K210Layer(
          name: n.name, nodes: [n.name], summary: "conv", processor: .kpu, inputShape: s, outputShape: o,
          inputs: [previous], output: value))
      previous = value
      guard o == shapes[value], let r = readers[value], r.count == 1, let next = executor.layers[r[0].name],
        !graph.outputs.contains(where: { $0.name == value }), next.quantized.input == l.quantized.output
      else { break }
      chain.append((r[0], next))
    }
    for c in chain { done.insert(c.node.name) }
    let plan = KPUMemoryPlan(layers: planLayers, shapes: kpuShapes, capacity: limits.kpuRAM)
    if let failure = plan.failure { throw KModelError.kpuMemory(failure.description) }
    var offsets: [String: Int] = [:]
    for a in plan.allocations { offsets[a.value] = a.offset }
    let outShape = kpuShapes[previous] ?? []
    let entry = k210Text.bytes.count
    try k210Code(chain, inValue: inValue, kpuShapes: kpuShapes, offsets: offsets)
    let (inCount, outCount) = (padded.reduce(1, *), outShape.reduce(1, *))
    k210Functions.append(
      KModelV5.Function(
        inputPool: inCount, outputPool: outCount,
        inputs: [.init(.init(location: 0, datatype: 4, start: 0, size: inCount), shape: padded)],
        outputs: [.init(.init(location: 1, datatype: 4, start: 0, size: outCount), shape: outShape)],
        entrypoint: entry, textSize: k210Text.bytes.count - entry))
    var input = try codeRef(inValue, firstLayer.quantized.input, for: node.name)
    if padded != inShape {
      let p = newBuffer(inCount)
      append(.pad(input, p, inShape: inShape, outShape: padded, value: firstLayer.quantized.layer.padValue))
      input = p
    }
    let output = newBuffer(outCount)
    append(.call(function: k210Functions.count - 1, input, inShape: padded, output, outShape: outShape))
    guard let lastNode = chain.last?.node, let last = chain.last?.layer else { return }
    let value = kpuOutput(lastNode, last), ys = shapes[value] ?? []
    var result = output
    if outShape != ys {
      // a pooled map is the output itself, so here the KPU ran at stride 1: step by the stride
      result = newBuffer(count(value))
      append(.slice(output, result, inShape: outShape, begin: last.origin, step: last.stride, outShape: ys))
    }
    codes[value] = [(last.quantized.output, result)]
  }

  /// The map a KPU layer leaves in KPU RAM for an `input` map: pooled by 2 for a stride-2 dense
  /// layer with same padding while the pooled map stays at least `minSide`, else full size.
  static func kpuOutputShape(_ layer: K210Executor.KPULayer, input s: [Int], minSide: Int) -> [Int] {
    let pooled =
      layer.stride == 2 && !layer.quantized.layer.depthwise && layer.origin == 0 && s[2] / 2 >= minSide
      && s[3] / 2 >= minSide
    return [s[0], layer.quantized.layer.outChannels, pooled ? s[2] / 2 : s[2], pooled ? s[3] / 2 : s[3]]
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
      // a map below 4×4 reaching this point is a bug of the padding above; refuse rather than
      // write a layer the KPU does not take (nncase issue #533)
      if min(s[2], s[3]) < limits.minSide {
        throw KModelError.unsupportedOp(
          node: c.node.name, op: c.node.op.rawValue,
          reason:
            "its KPU input map is \(s[3])×\(s[2]), smaller than the KPU's \(limits.minSide)×\(limits.minSide), after padding; export V3 (export.kmodel.version 3) or enlarge the input."
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
