import K210

/// A lowered V3 model before placement: layers whose main buffers are ids (numbered from 0 in
/// ``bytes``; a *view* is an id that names bytes at an offset inside another buffer) and whose
/// KPU buffers are ids of ``kpuShapes``. The optimisation passes (``V3Passes``) rewrite a plan;
/// ``assemble(limits:)`` places it into a ``KModelV3``.
struct V3Plan: Equatable {
  /// The layers in execution order, with buffer ids.
  var layers: [KModelV3Layer]
  /// Bytes of each main buffer (0 for views).
  var bytes: [Int]
  /// Views: id → (the buffer it lies in, byte offset there).
  var views: [Int: View] = [:]
  /// KPU buffers: shape [1, C, H, W].
  var kpuShapes: [[Int]]
  /// KPU layers as (input KPU buffer, output KPU buffer), in order.
  var kpuLayers: [KPUPair]
  /// The float32 outputs: buffer id and bytes.
  var outputs: [Output]

  struct View: Equatable { var parent: Int, offset: Int }
  struct KPUPair: Equatable { var input: Int, output: Int }
  struct Output: Equatable { var buffer: Int, bytes: Int }

  /// A new view of `bytes` at `offset` in `parent`.
  mutating func view(of parent: Int, offset: Int) -> Int {
    bytes.append(0)
    views[bytes.count - 1] = View(parent: parent, offset: offset)
    return bytes.count - 1
  }

  /// The buffer a view lies in (the id itself for a buffer) and the offset there.
  func root(_ id: Int) -> (buffer: Int, offset: Int) {
    var (b, o) = (id, 0)
    while let v = views[b] { (b, o) = (v.parent, o + v.offset) }
    return (b, o)
  }

  /// (first, last) layer index that reads or writes each root buffer; outputs live to the end.
  var lifetimes: [Int: (first: Int, last: Int)] {
    var live: [Int: (first: Int, last: Int)] = [:]
    func touch(_ id: Int, _ i: Int) {
      let r = root(id).buffer
      let l = live[r] ?? (i, i)
      live[r] = (min(l.first, i), max(l.last, i))
    }
    for (i, layer) in layers.enumerated() {
      let a = layer.mainAccesses
      for r in a.reads { touch(r.buffer, i) }
      for w in a.writes { touch(w.buffer, i) }
    }
    for o in outputs {
      let r = root(o.buffer).buffer
      live[r] = (live[r]?.first ?? max(0, layers.count - 1), Int.max)
    }
    return live
  }

  /// The main buffer's bytes: first-fit placement of the buffers by lifetime (buffers no layer
  /// touches take no space).
  var mainMemoryUsage: Int { placement().usage }

  /// Addresses of every id (views resolved) and the bytes the runtime must allocate.
  func placement() -> (addresses: [Int], usage: Int) {
    let live = lifetimes
    let roots = live.keys.sorted()
    let (placed, usage) = V3Lowering.placeMain(
      roots.map { (bytes[$0], live[$0]?.first ?? 0, live[$0]?.last ?? 0) })
    var rootAddress: [Int: Int] = [:]
    for (r, a) in zip(roots, placed) { rootAddress[r] = a }
    let addresses = bytes.indices.map { id -> Int in
      let r = root(id)
      return (rootAddress[r.buffer] ?? 0) + r.offset
    }
    return (addresses, usage)
  }

  /// Places the KPU maps (nncase's first-fit plan, stored top down as v0.1's allocator grows down
  /// from row 32768) and the main buffers, and replaces ids by addresses.
  func assemble(limits: K210Limits) throws -> KModelV3 {
    let planLayers = kpuLayers.enumerated().map { i, l in
      K210Layer(
        name: "kpu layer \(i)", nodes: [], summary: "conv", processor: .kpu, inputShape: kpuShapes[l.input],
        outputShape: kpuShapes[l.output], inputs: ["k\(l.input)"], output: "k\(l.output)")
    }
    var shapes: [String: [Int]] = [:]
    for (i, s) in kpuShapes.enumerated() { shapes["k\(i)"] = s }
    let plan = KPUMemoryPlan(layers: planLayers, shapes: shapes, capacity: limits.kpuRAM)
    if let failure = plan.failure { throw KModelError.kpuMemory(failure.description) }
    var rows = [Int](repeating: 0, count: kpuShapes.count)
    for a in plan.allocations {
      guard let i = Int(a.value.dropFirst()) else { continue }
      rows[i] = (limits.kpuRAM - a.offset - a.bytes) / 64
    }
    let (addresses, usage) = placement()
    return KModelV3(
      maxStartAddress: rows.min() ?? limits.kpuRAM / 64, mainMemoryUsage: usage,
      outputs: outputs.map { KModelV3Range(start: addresses[$0.buffer], size: $0.bytes) },
      layers: layers.map { $0.mapped(main: { addresses[$0] }, kpu: { rows[$0] }) })
  }
}
