import Graph
import K210
import Quantization

/// Writes a ``K210Executor`` whose graph is a chain of KPU layers (the input feeds the first
/// convolution, each layer feeds only the next, the last one is the output) as an nncase 1.x
/// kmodel V5 that `nncase.Simulator` 1.9 and the nncase runtime load (`k210.md` §6): a `stackvm`
/// entry module that quantizes the float32 input (`lrintf(x · (1/scale) + zero point)`), calls
/// the `k210` module and dequantizes its uint8 output (`q · scale + bias`), and a `k210` module
/// with the weights, BN words and activation tables in `.rdata` and the upload, `kpu_conv2d`
/// and download ops in `.text`, the layer words exactly as in V3 except that KPU addresses are
/// rows of nncase's `mem_kpu` pool (byte offset / 64) from the first-fit plan.
///
/// Other graphs (CPU ops between KPU layers, several outputs, depthwise stride 2) are not written
/// yet: the error names the node.
public enum KModelV5Writer {
  /// The file's bytes.
  public static func bytes(_ executor: K210Executor, limits: K210Limits = K210Limits()) throws -> [UInt8] {
    let graph = executor.graph
    guard graph.inputs.count == 1, graph.outputs.count == 1, let x = graph.inputs.first, x.shape.count == 4,
      x.shape[0] == 1
    else { throw KModelError.unsupportedGraph(reason: "the V5 writer takes one NCHW input of batch 1 and one output.") }
    // the chain of KPU layers
    let folded = Set(executor.layers.values.compactMap(\.activation))
    var chain: [(node: Node, layer: K210Executor.KPULayer, output: String)] = []
    var value = x.name
    for node in graph.nodes where !folded.contains(node.name) {
      guard let layer = executor.layers[node.name], node.inputs[0] == value,
        !(layer.quantized.layer.depthwise && layer.stride == 2)
      else {
        throw KModelError.unsupportedOp(
          node: node.name, op: node.op.rawValue,
          reason:
            "the V5 writer writes chains of KPU layers only (each reading the previous one; no depthwise stride 2).")
      }
      value = layer.activation.flatMap { graph.node(named: $0)?.outputs[0] } ?? node.outputs[0]
      chain.append((node, layer, value))
    }
    guard let first = chain.first, let last = chain.last, last.output == graph.outputs[0].name else {
      throw KModelError.unsupportedGraph(reason: "the output is not the last KPU layer's output.")
    }
    let shapes = graph.valueShapes
    // KPU RAM plan (bytes from 0, as nncase's kpu pool)
    var kpuShapes: [String: [Int]] = [x.name: x.shape]
    let planLayers = chain.map { c -> K210Layer in
      kpuShapes[c.output] = shapes[c.output] ?? []
      return K210Layer(
        name: c.node.name, nodes: [c.node.name], summary: "conv", processor: .kpu,
        inputShape: shapes[c.node.inputs[0]] ?? [],
        outputShape: shapes[c.output] ?? [], inputs: [c.node.inputs[0]], output: c.output)
    }
    let plan = KPUMemoryPlan(layers: planLayers, shapes: kpuShapes, capacity: limits.kpuRAM)
    if let failure = plan.failure { throw KModelError.kpuMemory(failure.description) }
    var offsets: [String: Int] = [:]
    for a in plan.allocations { offsets[a.value] = a.offset }
    func kpuBytes(_ s: [Int]) -> Int { KPURowLayout.bytes(channels: s[1], height: s[2], width: s[3]) }
    let outShape = shapes[last.output] ?? []
    let (inCount, outCount) = (x.shape.reduce(1, *), outShape.reduce(1, *))
    // k210 module: .rdata and .text
    var rdata = ByteWriter()
    var text = ByteWriter()
    func range(_ location: UInt8, _ type: UInt8, _ start: Int, _ size: Int, into w: inout ByteWriter) {
      w.append([location, type, 0, 0])
      w.u32(start)
      w.u32(size)
    }
    func dataExchange(_ op: UInt8, from: (UInt8, Int, Int), to: (UInt8, Int, Int), shape: [Int]) {
      text.append([op, 0, 0, 0])
      range(from.0, 4, from.1, from.2, into: &text)
      range(to.0, 4, to.1, to.2, into: &text)
      for d in shape { text.u32(d) }
    }
    guard let inOffset = offsets[x.name], let outOffset = offsets[last.output] else {
      throw KModelError.kpuMemory("the plan placed no map for the input or the output")
    }
    dataExchange(0, from: (0, 0, inCount), to: (64, inOffset, kpuBytes(x.shape)), shape: x.shape)
    for c in chain {
      let q = c.layer.quantized
      let s = shapes[c.node.inputs[0]] ?? []
      let pool = c.layer.stride == 2 ? 5 : 0
      let (oh, ow) = pool == 5 ? (s[2] / 2, s[3] / 2) : (s[2], s[3])
      var a = try V3Lowering.argument(
        q.layer, height: s[2], width: s[3], outHeight: oh, outWidth: ow, pool: pool, node: c.node.name)
      guard let src = offsets[c.node.inputs[0]], let dst = offsets[c.output] else {
        throw KModelError.kpuMemory("the plan placed no map for layer \(c.node.name)")
      }
      (a.imageSourceAddress, a.imageDestinationAddress) = (src / 64, dst / 64)
      rdata.pad(to: 8)
      let w = rdata.bytes.count
      rdata.append(q.layer.weights)
      rdata.pad(to: 8)
      let bn = rdata.bytes.count
      for b in q.layer.batchNorm { rdata.u64(try KPUTables.batchNormWord(b, layer: c.node.name)) }
      rdata.pad(to: 256)
      let act = rdata.bytes.count
      rdata.append(try KPUTables.activationBytes(q.layer.activation, layer: c.node.name))
      text.append([2, 0, 0, 0])
      range(2, 4, w, q.layer.weights.count, into: &text)
      range(2, 7, bn, 8 * q.layer.batchNorm.count, into: &text)
      range(2, 4, act, KPUTables.activationTableBytes, into: &text)
      range(0, 0, 0, 0, into: &text)
      text.u32(1)
      for word in try a.words(layer: c.node.name) { text.u64(word) }
    }
    dataExchange(1, from: (64, outOffset, kpuBytes(outShape)), to: (1, 0, outCount), shape: outShape)
    // stackvm entry: quantize → call k210 function 0 → dequantize
    let (qIn, qOut) = (first.layer.quantized.input, last.layer.quantized.output)
    var vm = StackVMWriter()
    vm.leaBuffer(0, 0)
    vm.leaBuffer(3, 0)
    vm.shapes(x.shape, strides: true, registers: [0, 1, 2])
    vm.ldcR4(1 / qIn.scale)
    vm.ldcR4(Float(qIn.zeroPoint))
    vm.tensor(0x14, payload: [9, 4, 0, 1, 2])
    vm.leaBuffer(3, 0)
    vm.callArgument(x.shape, registers: (0, 1))
    vm.leaBuffer(3, inCount)
    vm.callArgument(outShape, registers: (2, 3))
    vm.tensor(0x03, payload: [0, 0, 0, 0, 1, 0, 1, 1])
    vm.leaBuffer(3, inCount)
    vm.leaBuffer(1, 0)
    vm.shapes(outShape, strides: true, registers: [0, 1, 2])
    vm.ldcR4(qOut.scale)
    vm.ldcR4(Float(-qOut.zeroPoint) * qOut.scale)
    vm.tensor(0x0B, payload: [4, 9, 0, 1, 2])
    let vmModule = V5Container.Module(
      mempools: [(2, 0), (3, inCount + outCount)], inputPool: 4 * inCount, outputPool: 4 * outCount,
      input: (0, 9, 4 * inCount, x.shape), output: (1, 9, 4 * outCount, outShape), rdata: [], text: vm.code.bytes)
    let k210Pools: [(location: UInt8, size: Int)] = [(2, rdata.bytes.count), (3, 0), (64, limits.kpuRAM)]
    let k210Module = V5Container.Module(
      mempools: k210Pools, inputPool: inCount, outputPool: outCount, input: (0, 4, inCount, x.shape),
      output: (1, 4, outCount, outShape), rdata: rdata.bytes, text: text.bytes)
    return V5Container.file(stackvm: vmModule, k210: k210Module)
  }
}
