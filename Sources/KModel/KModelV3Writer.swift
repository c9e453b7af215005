import Graph
import K210
import Quantization

/// Writes a ``K210Executor`` (a BN-folded float graph and its KPU layers) as a kmodel V3 that
/// computes what the executor computes.
///
/// Every KPU layer of the executor becomes a `K210_CONV` whose words, weights, BN words and
/// activation table are the layer's integers (stride 2: the KPU's `left_top` pool, type 5; a
/// depthwise stride-2 layer runs at stride 1 and a 1×1/2 `QUANTIZED_MAX_POOL2D` keeps every
/// second pixel, since nncase never pools after a depthwise layer). Other nodes become the V3
/// CPU layers that match the executor: max pooling and nearest upsampling on uint8 codes (exact,
/// as they commute with the monotone dequantization), concatenation on codes requantized to the
/// reading convolution's input format (`REQUANTIZE`, a 256-entry table equal to
/// quantize(dequantize(q))), and float layers (`ADD`, `AVERAGE_POOL2D`, `GLOBAL_AVERAGE_POOL2D`,
/// `FULLY_CONNECTED`, `LOGISTIC`, `L2_NORMALIZATION`) between `DEQUANTIZE` and `QUANTIZE`.
/// Flatten, reshape, identity and dropout are views. The outputs are float32. A KPU layer's
/// output stays in KPU RAM for the next KPU layer unless a CPU layer or an output also reads it;
/// then it streams to main memory (`KLF_MAIN_MEM_OUT`) and KPU readers upload it again.
///
/// Feature maps in KPU RAM are placed by ``KPUMemoryPlan`` (first-fit, as nncase) and stored top
/// down like nncase v0.1's allocator, so `max_start_address` is the lowest row used; main-memory
/// tensors are placed first-fit by lifetime.
public enum KModelV3Writer {
  /// The model for `executor`'s graph, with the optimisation passes `options` enables.
  /// - Throws: ``KModelError`` naming the node and op the format cannot express, a register
  ///   field that overflows, or KPU RAM that does not fit.
  public static func model(
    _ executor: K210Executor, limits: K210Limits = K210Limits(), options: KModelV3Options = KModelV3Options()
  ) throws -> KModelV3 {
    try V3Passes.apply(options, to: try plan(executor, limits: limits)).plan.assemble(limits: limits)
  }

  /// The file's bytes.
  public static func bytes(
    _ executor: K210Executor, limits: K210Limits = K210Limits(), options: KModelV3Options = KModelV3Options()
  ) throws -> [UInt8] {
    try model(executor, limits: limits, options: options).serialized()
  }

  /// The model and what each enabled pass changed (measured against the plan before it).
  public static func modelAndReport(
    _ executor: K210Executor, limits: K210Limits = K210Limits(), options: KModelV3Options = KModelV3Options()
  ) throws -> (model: KModelV3, report: KModelPassReport) {
    let (plan, report) = V3Passes.apply(options, to: try plan(executor, limits: limits))
    return (try plan.assemble(limits: limits), report)
  }

  /// The lowered plan before the passes.
  static func plan(_ executor: K210Executor, limits: K210Limits) throws -> V3Plan {
    var lowering = try V3Lowering(executor, limits: limits)
    try lowering.run()
    return try lowering.finish()
  }
}

/// The state of one V3 lowering: layers with symbolic buffer ids (main-memory and KPU buffers
/// are numbered separately and replaced by addresses in ``finish()``), and where each graph value
/// is available: as float32 or uint8 (in a given format) in main memory, or in KPU RAM.
struct V3Lowering {
  let executor: K210Executor
  let graph: ModelGraph
  let limits: K210Limits
  let shapes: [String: [Int]]
  var readers: [String: [Node]] = [:]
  let graphOutputs: Set<String>

  var layers: [KModelV3Layer] = []
  /// Main buffers: bytes and the first and last layer index that touch them (``V3Plan``
  /// recomputes the lifetimes from the final layer list).
  var main: [(bytes: Int, first: Int, last: Int)] = []
  /// Main-buffer ids that name bytes inside another buffer.
  var views: [Int: V3Plan.View] = [:]
  /// Small maps in KPU RAM padded to 4×4 (only their top-left corner is the value; the rest is
  /// whatever the KPU computed there): value → format, KPU buffer.
  var paddedOnKPU: [String: (param: K210QuantParam, buffer: Int)] = [:]
  /// Outputs of KPU layers on padded maps streamed to main memory as the dense padded map
  /// (cropped into ``codes`` when the CPU needs them): value → format, buffer, padded height and
  /// width.
  var paddedInMain: [String: (param: K210QuantParam, buffer: Int, height: Int, width: Int)] = [:]
  /// Pad-value fillers already written: pad value → main buffer of `fillerBytes`.
  var fillers: [UInt8: (buffer: Int, bytes: Int)] = [:]
  /// KPU buffers: shape [1, C, H, W].
  var kpu: [[Int]] = []
  /// KPU layers as (input KPU buffer, output KPU buffer), in order.
  var kpuLayers: [(input: Int, output: Int)] = []

  var floats: [String: Int] = [:]
  var codes: [String: [(param: K210QuantParam, buffer: Int)]] = [:]
  var onKPU: [String: (param: K210QuantParam, buffer: Int)] = [:]
  var done = Set<String>()

  init(_ executor: K210Executor, limits: K210Limits) throws {
    self.executor = executor
    self.graph = executor.graph
    self.limits = limits
    self.shapes = executor.graph.valueShapes
    for node in graph.nodes { for input in node.inputs { readers[input, default: []].append(node) } }
    graphOutputs = Set(graph.outputs.map(\.name))
  }

  /// Elements of a value (batch 1).
  func count(_ value: String) -> Int { (shapes[value] ?? []).reduce(1, *) }

  /// A new main buffer of `bytes`, written by the next layer.
  mutating func newMain(_ bytes: Int) -> Int {
    main.append((bytes, layers.count, layers.count))
    return main.count - 1
  }

  /// A view of the bytes at `offset` in main buffer `parent`.
  mutating func newView(_ parent: Int, offset: Int) -> Int {
    main.append((0, layers.count, layers.count))
    views[main.count - 1] = V3Plan.View(parent: parent, offset: offset)
    return main.count - 1
  }

  /// Marks main buffers as read by the next layer.
  mutating func use(_ ids: Int...) { for id in ids { main[id].last = max(main[id].last, layers.count) } }

  /// The KPU convolution that reads `value` with the given format, if any (its input format is
  /// the format every KPU reader of the value wants).
  func kpuReaderFormat(_ value: String) -> K210QuantParam? {
    for r in readers[value] ?? [] { if let l = executor.layers[r.name] { return l.quantized.input } }
    return nil
  }
}
