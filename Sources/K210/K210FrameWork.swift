import Graph

/// The time one image costs on the K210, layer by layer: each KPU layer's compute from
/// ``K210Timing`` plus the CPU work nncase puts around it (uploads of maps the CPU produced,
/// downloads of maps the CPU or the caller reads, pad/crop of small maps, strided slices),
/// each CPU op from ``K210CPUCost``, and the dequantize/quantize at every KPU↔CPU boundary.
///
/// The three optimisations of the seed story change the CPU side and can be turned off to show
/// their effect: the 2× nearest-upsample fast path, concat elimination (producers write at
/// their offsets, no copy) and cancelling dequantize→quantize pairs (ops that only move
/// values — pooling, upsample, concat, views — run on the uint8 codes).
public struct K210FrameWork: Codable, Equatable, Sendable {
  /// The optimisations applied.
  public struct Options: Codable, Equatable, Sendable {
    public var upsampleFastPath = true, concatElimination = true, cancelRequantize = true

    /// All on by default.
    public init(upsampleFastPath: Bool = true, concatElimination: Bool = true, cancelRequantize: Bool = true) {
      (self.upsampleFastPath, self.concatElimination) = (upsampleFastPath, concatElimination)
      self.cancelRequantize = cancelRequantize
    }
  }

  /// One layer's time: on the KPU and on the CPU (the work around it, or the op itself).
  public struct Step: Codable, Equatable, Sendable {
    public var name: String, processor: String
    public var kpuMs: Double, cpuMs: Double
    /// What the CPU time is made of.
    public var cpuWork: [String]
  }

  public var steps: [Step]
  /// Bytes of the uint8 input (NCHW) and of the input in KPU RAM's row layout.
  public var inputBytes: Int, kpuInputBytes: Int
  /// Elements of the model's outputs (what post-processing reads).
  public var outputElements: Int

  /// KPU and CPU time of all layers (the model call, without the input upload).
  public var kpuMs: Double { steps.reduce(0) { $0 + $1.kpuMs } }
  public var cpuMs: Double { steps.reduce(0) { $0 + $1.cpuMs } }
  public var modelMs: Double { kpuMs + cpuMs }

  /// The work of `check` (of `graph`) at the given clocks.
  public init(
    _ check: K210Check, graph: ModelGraph, timing: K210Timing = K210Timing(), cost: K210CPUCost = K210CPUCost(),
    kpuMHz: Double = 400, cpuMHz: Double = 400, options: Options = Options()
  ) {
    let shapes = graph.valueShapes
    func count(_ v: String) -> Int { (shapes[v] ?? []).reduce(1, *) }
    func ms(_ e: K210CPUCost.Entry, _ units: Int) -> Double { cost.milliseconds(e, units: units, clockMHz: cpuMHz) }
    let layers = check.layers
    let producer = Dictionary(layers.map { ($0.output, $0) }, uniquingKeysWith: { a, _ in a })
    var consumers: [String: [K210Layer]] = [:]
    for l in layers { for v in l.inputs { consumers[v, default: []].append(l) } }
    let outputs = Set(graph.outputs.map(\.name))
    let inputName = graph.inputs.first?.name ?? ""
    /// Ops that only move values and so can run on the uint8 codes.
    func movesValues(_ l: K210Layer) -> Bool {
      guard l.processor == .cpu, let op = graph.node(named: l.name)?.op else { return false }
      return [.maxPool, .upsample, .concat, .flatten, .reshape, .identity, .dropout].contains(op)
    }
    /// Whether a value is held as float32 on the CPU side.
    func isFloat(_ v: String) -> Bool {
      guard let p = producer[v], p.processor == .cpu else { return false }
      return !(options.cancelRequantize && movesValues(p) && p.inputs.allSatisfy { !isFloat($0) })
    }
    var steps: [Step] = []
    for l in layers {
      var work: [(String, Double)] = []
      var kpu = 0.0
      let node = graph.node(named: l.name)
      if l.processor == .kpu {
        var macs = Double(l.macs)
        if node?.op == .add, l.inputShape.count == 4 {
          let c = l.inputShape[1]
          macs = Double(2 * c * c * l.inputShape[2] * l.inputShape[3])
          work.append(("concat of the two inputs", ms(cost.copy, 2 * count(l.inputs[0]))))
        }
        kpu = timing.milliseconds(macs: macs, weightBytes: Double(l.parameterBytes), clockMHz: kpuMHz)
        for v in l.inputs where v != inputName && producer[v]?.processor != .kpu {
          if isFloat(v) { work.append(("quantize \(v)", ms(cost.quantize, count(v)))) }
          work.append(("upload \(v)", ms(cost.upload, count(v))))
        }
        if l.notes.contains(where: { $0.hasPrefix("map smaller than 4×4") }) {
          work.append(("pad to 4×4 and crop", ms(cost.copy, count(l.inputs[0]) + count(l.output))))
        }
        if l.notes.contains(where: { $0.hasPrefix("stride") && $0.contains("slices") }) {
          work.append(("strided slice", ms(cost.copy, count(l.output))))
        }
        let readByCPU = (consumers[l.output] ?? []).contains { $0.processor == .cpu }
        if readByCPU || outputs.contains(l.output) {
          work.append(("download \(l.output)", ms(cost.download, count(l.output))))
          let floatReaders = (consumers[l.output] ?? []).contains {
            $0.processor == .cpu && !(options.cancelRequantize && movesValues($0))
          }
          if floatReaders || outputs.contains(l.output) {
            work.append(("dequantize \(l.output)", ms(cost.dequantize, count(l.output))))
          }
        }
      } else {
        let out = count(l.output)
        let width = isFloat(l.output) ? 4 : 1
        switch node?.op {
        case .maxPool, .avgPool:
          let k = node?.ints("kernel") ?? [1, 1]
          work.append(("pooling", ms(cost.pooling, out * k.reduce(1, *))))
        case .upsample:
          let fast = options.upsampleFastPath && width == 1 && node?.int("factor") == 2
          work.append(
            (fast ? "2× upsample fast path" : "nearest resize", ms(fast ? cost.resizeFastPath : cost.resize, out)))
        case .concat:
          if !options.concatElimination { work.append(("concat copy", ms(cost.copy, out * width))) }
        case .globalAvgPool: work.append(("mean", ms(cost.elementwise, count(l.inputs[0]))))
        case .conv, .dense: work.append(("float fallback", ms(cost.floatMAC, l.macs)))
        case .flatten, .reshape, .identity, .dropout, nil: break
        case .l2Normalize: work.append(("L2 normalisation", ms(cost.elementwise, 3 * out)))
        default: work.append((l.summary, ms(cost.elementwise, out)))
        }
        if outputs.contains(l.output) && !isFloat(l.output) {
          work.append(("dequantize \(l.output)", ms(cost.dequantize, out)))
        }
      }
      steps.append(
        Step(
          name: l.name, processor: l.processor.rawValue, kpuMs: kpu, cpuMs: work.reduce(0) { $0 + $1.1 },
          cpuWork: work.map(\.0)))
    }
    self.steps = steps
    let x = graph.inputs.first?.shape ?? []
    inputBytes = x.reduce(1, *)
    kpuInputBytes = x.count == 4 ? KPURowLayout.bytes(channels: x[1], height: x[2], width: x[3]) : inputBytes
    outputElements = graph.outputs.reduce(0) { $0 + count($1.name) }
  }
}

extension K210Pipeline.Work {
  /// The work of one frame around a model of `frame`: preprocessing of the camera frame into
  /// the uint8 input, its upload into KPU RAM (by the CPU or by DMA), the model call, and
  /// post-processing of its outputs, from `cost` at `cpuMHz`. The camera frame is taken at the
  /// model's input size (the DVP's windowing), so a frame buffer holds as many bytes as the
  /// input.
  public init(_ frame: K210FrameWork, cost: K210CPUCost = K210CPUCost(), cpuMHz: Double = 400) {
    self.init(
      preprocessMs: cost.milliseconds(cost.preprocess, units: frame.inputBytes, clockMHz: cpuMHz),
      uploadCPUMs: cost.milliseconds(cost.upload, units: frame.inputBytes, clockMHz: cpuMHz),
      uploadDMAMs: cost.dmaMilliseconds(bytes: frame.inputBytes), modelMs: frame.modelMs, kpuMs: frame.kpuMs,
      postprocessMs: cost.milliseconds(cost.postprocess, units: frame.outputElements, clockMHz: cpuMHz),
      frameBytes: frame.inputBytes, inputBytes: frame.inputBytes, kpuInputBytes: frame.kpuInputBytes)
  }
}

extension K210Pipeline.Result {
  /// One line for terminals: `dma-upload  30.0 fps  33.3 ms/frame  latency 40.1 ms`.
  public var line: String {
    let name = scenario.rawValue.padding(toLength: 15, withPad: " ", startingAt: 0)
    return name + String(format: "%5.1f fps  %6.1f ms/frame  latency %6.1f ms", fps, periodMs, latencyMs)
  }
}
