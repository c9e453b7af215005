/// The V3 optimisation passes: pure functions from a lowered ``V3Plan`` to an equivalent plan
/// (same output bytes), run in the order concat elimination, requantize cancelling, then the
/// upsample fast path (which changes no layer, only the runtime kernel and the cost).
enum V3Passes {
  /// Runs the passes `options` enables and reports each one's effect.
  static func apply(_ options: KModelV3Options, to plan: V3Plan) -> (plan: V3Plan, report: KModelPassReport) {
    var p = plan
    var passes: [KModelPassReport.Pass] = []
    var fast = false
    let baseline = metrics(p, fastUpsample: fast)
    func run(_ name: String, _ on: Bool, _ body: (inout V3Plan) -> Int) {
      let before = metrics(p, fastUpsample: fast)
      let applied = on ? body(&p) : 0
      passes.append(
        .init(name: name, enabled: on, applied: applied, before: before, after: metrics(p, fastUpsample: fast)))
    }
    run("concat elimination", options.concatElimination) { eliminateConcats(&$0) }
    run("cancel requantize", options.cancelRequantize) { cancelRequantize(&$0) }
    run("upsample fast path", options.upsampleFastPath) { plan in
      fast = true
      return plan.layers.filter(V3CPUKernels.isExactUpsample2x).count
    }
    return (p, KModelPassReport(baseline: baseline, passes: passes, final: metrics(p, fastUpsample: fast)))
  }

  /// Arena bytes, CPU layers and bytes moved of a plan.
  static func metrics(_ p: V3Plan, fastUpsample: Bool) -> KModelPassReport.Metrics {
    let cpu = p.layers.filter(\.runsOnCPU)
    let moved = cpu.reduce(0) { total, layer in
      let a = layer.mainAccesses
      var loads = a.reads.reduce(0) { $0 + $1.bytes }
      let stores = a.writes.reduce(0) { $0 + $1.bytes }
      if case .resizeNearestNeighbor = layer, !(fastUpsample && V3CPUKernels.isExactUpsample2x(layer)) {
        loads = stores  // the general kernel gathers one source element per output element
      }
      var kpuStores = 0
      if case let .upload(_, _, w, h, c) = layer { kpuStores = w * h * c }
      return total + loads + stores + kpuStores
    }
    let buffers = p.lifetimes.keys.reduce(0) { $0 + (p.bytes[$1] + 7) / 8 * 8 }
    return .init(arenaBytes: p.mainMemoryUsage, bufferBytes: buffers, cpuLayers: cpu.count, cpuBytesMoved: moved)
  }

  /// Replaces main buffer `old` by `new` in every layer.
  static func replace(_ old: Int, by new: Int, in p: inout V3Plan) {
    p.layers = p.layers.map { $0.mapped(main: { $0 == old ? new : $0 }, kpu: { $0 }) }
    p.outputs = p.outputs.map { V3Plan.Output(buffer: $0.buffer == old ? new : $0.buffer, bytes: $0.bytes) }
  }

  /// Layer indices that write buffer `id` (exactly that id) and that read it (or a view in it).
  static func accesses(_ id: Int, _ p: V3Plan) -> (writers: [Int], readers: [Int]) {
    var (w, r): ([Int], [Int]) = ([], [])
    for (i, layer) in p.layers.enumerated() {
      let a = layer.mainAccesses
      if a.writes.contains(where: { $0.buffer == id }) { w.append(i) }
      if a.reads.contains(where: { p.root($0.buffer).buffer == id }) { r.append(i) }
    }
    return (w, r)
  }
}
