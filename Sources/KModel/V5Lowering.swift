import Graph
import K210
import Quantization

/// Lowers a ``K210Executor`` to the pieces of a V5 kmodel: chains of KPU layers become k210
/// functions (``V5Lowering/island(from:)``), the other ops tensor functions of the stackvm entry
/// function on dense uint8 codes, so that every value equals the executor's bit for bit:
/// upsample is a nearest RESIZE_IMAGE of codes; max pooling runs REDUCE_WINDOW2D on the codes
/// as float32 (DEQUANTIZE and QUANTIZE with scale 1 are exact there), which equals pooling the
/// dequantized values because dequantization is increasing; a change of quantization format
/// (e.g. the inputs of a concat to the format of the convolution that reads it) is a LUT1D
/// table `q → quantize_to(dequantize_from(q))`, the executor's own arithmetic; a concat COPYs
/// its parts side by side, or, when not only KPU layers read it, stays deferred so that max
/// pooling pools each part and float ops dequantize each part; a depthwise stride-2 layer runs
/// at stride 1 on the KPU and is SLICEd, a valid-padded 3×3 layer is SLICEd from (1, 1), and a
/// map below 4×4 is PADded to 4×4 and its corner SLICEd (``island(from:)``). Global average
/// pooling (REDUCE mean), dense (MATMUL) and L2 normalisation (UNARY, REDUCE sum, BINARY) run in
/// float32 on DEQUANTIZEd values in nncase's order of operations (the executor's may differ in
/// the last bits). The model input is
/// QUANTIZEd, the outputs DEQUANTIZEd (`q·scale + bias`, which may differ from the executor's
/// `(q − z)·scale` in the last bit).
struct V5Lowering {
  let executor: K210Executor
  let graph: ModelGraph
  let limits: K210Limits
  /// Value shapes (plus the parts of pooled deferred concats).
  var shapes: [String: [Int]]
  var readers: [String: [Node]] = [:]
  let folded: Set<String>
  /// uint8 codes of each value in main memory, by format.
  var codes: [String: [(param: K210QuantParam, ref: V5Ref)]] = [:]
  /// float32 values in main memory (global pooling, dense and what they produce).
  var floats: [String: V5Ref] = [:]
  /// Deferred concats: the values whose channels they join (``lowerConcat(_:)``).
  var parts: [String: [String]] = [:]
  var steps: [V5Step] = []
  /// Data-pool buffers: bytes and the steps that write first and read last.
  var buffers: [(bytes: Int, first: Int, last: Int)] = []
  /// Nodes already lowered as part of a KPU chain.
  var done: Set<String> = []
  /// The stackvm `.rdata` (LUT tables, dense weights and biases).
  var tables: [UInt8] = []
  /// The k210 module: its `.rdata`, `.text` and functions.
  var k210Data = ByteWriter(), k210Text = ByteWriter()
  var k210Functions: [KModelV5.Function] = []

  init(_ executor: K210Executor, limits: K210Limits) {
    self.executor = executor
    self.graph = executor.graph
    self.limits = limits
    self.shapes = executor.graph.valueShapes
    self.folded = Set(executor.layers.values.compactMap(\.activation))
    for node in graph.nodes { for input in node.inputs { readers[input, default: []].append(node) } }
  }

  func count(_ value: String) -> Int { (shapes[value] ?? []).reduce(1, *) }

  /// A new data-pool buffer, live from the next step.
  mutating func newBuffer(_ bytes: Int) -> V5Ref {
    buffers.append((bytes, steps.count, steps.count))
    return .data(buffers.count - 1)
  }

  mutating func append(_ step: V5Step) {
    for b in step.buffers { buffers[b].last = steps.count }
    steps.append(step)
  }

  /// The value a KPU layer's result is known by (its folded activation's output, if any).
  func kpuOutput(_ node: Node, _ layer: K210Executor.KPULayer) -> String {
    layer.activation.flatMap { graph.node(named: $0)?.outputs[0] } ?? node.outputs[0]
  }

  /// Lowers every node in graph order.
  mutating func run() throws {
    guard graph.inputs.count == 1, let x = graph.inputs.first, x.shape.count == 4, x.shape[0] == 1 else {
      throw KModelError.unsupportedGraph(reason: "the V5 writer takes one NCHW input of batch 1.")
    }
    guard !executor.layers.isEmpty else {
      throw KModelError.unsupportedGraph(reason: "it has no KPU convolution; quantize it with the k210 scheme.")
    }
    for node in graph.nodes where !folded.contains(node.name) && !done.contains(node.name) {
      if executor.layers[node.name] != nil {
        try island(from: node)
      } else {
        try lowerCPU(node)
      }
    }
  }

  /// `value` as uint8 codes in `param`: as they are, through a LUT1D from another format, or
  /// QUANTIZEd from the float32 model input.
  mutating func codeRef(_ value: String, _ param: K210QuantParam, for node: String) throws -> V5Ref {
    if let hit = codes[value]?.first(where: { $0.param == param }) { return hit.ref }
    let s = shapes[value] ?? []
    if let p = parts[value] {
      let joined = try join(p, param, into: count(value), for: node)
      codes[value, default: []].append((param, joined))
      return joined
    }
    let out = newBuffer(count(value))
    if let source = codes[value]?.first {
      append(.lut(source.ref, out, shape: s, table: table { param.quantize(source.param.dequantize($0)) }))
    } else if value == graph.inputs[0].name {
      append(
        .quantize(
          V5Ref(location: 0), out, shape: s, inverseScale: 1 / param.scale, zeroPoint: Float(param.zeroPoint)))
    } else {
      throw KModelError.unsupportedGraph(reason: "'\(value)' (read by '\(node)') has no uint8 codes to read.")
    }
    codes[value, default: []].append((param, out))
    return out
  }

  /// `value` as float32: as it is, or DEQUANTIZEd from its codes (`q · scale + bias`).
  mutating func floatRef(_ value: String, for node: String) throws -> V5Ref {
    if let hit = floats[value] { return hit }
    if let p = parts[value] {
      // each part DEQUANTIZEd into its channels
      let out = newBuffer(4 * count(value))
      var offset = 0
      for part in p {
        guard let source = codes[part]?.first else {
          throw KModelError.unsupportedGraph(reason: "'\(part)' (read by '\(node)') has no values to read.")
        }
        var slot = out
        slot.offset = 4 * offset
        append(
          .dequantize(
            source.ref, slot, shape: shapes[part] ?? [], scale: source.param.scale,
            bias: Float(-source.param.zeroPoint) * source.param.scale))
        offset += count(part)
      }
      floats[value] = out
      return out
    }
    guard let source = codes[value]?.first else {
      throw KModelError.unsupportedGraph(reason: "'\(value)' (read by '\(node)') has no values to read.")
    }
    let out = newBuffer(4 * count(value))
    append(
      .dequantize(
        source.ref, out, shape: shapes[value] ?? [], scale: source.param.scale,
        bias: Float(-source.param.zeroPoint) * source.param.scale))
    floats[value] = out
    return out
  }

  /// Adds float32 values to the stackvm `.rdata` (4-aligned) and returns their offset.
  mutating func constants(_ values: [Float]) -> Int {
    while tables.count % 4 != 0 { tables.append(0) }
    let offset = tables.count
    for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { tables += $0 } }
    return offset
  }

  /// Adds a 256-byte table to the stackvm `.rdata` and returns its offset.
  mutating func table(_ f: (UInt8) -> UInt8) -> Int {
    let offset = tables.count
    tables += (0...255).map { f(UInt8($0)) }
    return offset
  }
}
