import Graph

/// The static K210 feasibility check of a float model (`workbench check k210`): per-layer
/// placement on the KPU or CPU with the rule each CPU fallback breaks, the KPU RAM plan, and
/// main memory against 6 MiB minus a reserve. Runs before any training, so an experiment that
/// cannot deploy fails early.
public struct K210Check: Codable, Equatable, Sendable {
  /// The model's name.
  public var model: String
  /// The layers in execution order.
  public var layers: [K210Layer]
  /// The KPU RAM plan.
  public var kpu: KPUMemoryPlan
  /// Main memory: the model's parameters (uint8 KPU weights, BN words and activation tables;
  /// float32 for CPU ops), and the peak of CPU-side tensors (the uint8 input frame, float32
  /// tensors that CPU ops read or write, the float32 outputs).
  public var modelBytes: Int, activationBytes: Int
  /// The limits checked against.
  public var limits: K210Limits
  /// Every problem that stops the model from deploying, as sentences; empty when it fits.
  public var problems: [String]

  /// Checks `graph` (batch 1).
  public init(_ graph: ModelGraph, limits: K210Limits = K210Limits()) throws {
    let layers = try K210Partition.run(graph, limits: limits)
    let shapes = graph.valueShapes
    self.model = graph.name
    self.layers = layers
    self.limits = limits
    kpu = KPUMemoryPlan(
      layers: layers, shapes: K210Partition.kpuShapes(layers, graph: shapes, limits: limits), capacity: limits.kpuRAM)
    modelBytes = layers.reduce(0) { $0 + $1.parameterBytes }
    activationBytes = Self.mainMemoryPeak(graph, layers: layers, shapes: shapes)
    var problems: [String] = []
    if let f = kpu.failure { problems.append(f.description) }
    let budget = limits.mainRAM - limits.reserve
    if modelBytes + activationBytes > budget {
      problems.append(
        "the model needs \(modelBytes + activationBytes) bytes of main memory (\(modelBytes) parameters + \(activationBytes) CPU-side tensors), more than the \(budget) bytes of the 6 MiB left after the \(limits.reserve)-byte reserve; prune channels, lower the resolution or the reserve"
      )
    }
    self.problems = problems
  }

  /// Whether everything fits.
  public var fits: Bool { problems.isEmpty }

  /// The number of layers on `processor`.
  public func count(on processor: K210Layer.Processor) -> Int { layers.filter { $0.processor == processor }.count }

  /// A KPU layer's estimated time at `clockMHz`; nil for CPU ops (not timed yet).
  public func milliseconds(of layer: K210Layer, timing: K210Timing, clockMHz: Double) -> Double? {
    layer.processor == .kpu
      ? timing.milliseconds(macs: Double(layer.macs), weightBytes: Double(layer.parameterBytes), clockMHz: clockMHz)
      : nil
  }

  /// The estimated KPU time of one image at `clockMHz`.
  public func kpuMilliseconds(timing: K210Timing, clockMHz: Double) -> Double {
    layers.compactMap { milliseconds(of: $0, timing: timing, clockMHz: clockMHz) }.reduce(0, +)
  }

  /// The layers that fall back to the CPU because they break a KPU rule.
  public var fallbacks: [K210Layer] { layers.filter { !$0.violations.isEmpty } }

  static func mainMemoryPeak(_ graph: ModelGraph, layers: [K210Layer], shapes: [String: [Int]]) -> Int {
    var range: [String: (first: Int, last: Int, bytes: Int)] = [:]
    func count(_ v: String) -> Int { (shapes[v] ?? []).reduce(1, *) }
    for input in graph.inputs { range[input.name] = (0, 0, count(input.name)) }
    for (i, l) in layers.enumerated() where l.processor == .cpu {
      for v in l.inputs + [l.output] {
        let r = range[v] ?? (i, i, 4 * count(v))
        range[v] = (min(r.first, i), max(r.last, i), r.bytes)
      }
    }
    for o in graph.outputs {
      let r = range[o.name] ?? (layers.count - 1, layers.count - 1, 4 * count(o.name))
      range[o.name] = (r.first, layers.count - 1, r.bytes)
    }
    return (0..<max(1, layers.count)).map { i in
      range.values.filter { $0.first <= i && i <= $0.last }.reduce(0) { $0 + $1.bytes }
    }
    .max() ?? 0
  }
}
