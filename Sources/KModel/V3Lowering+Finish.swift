import K210

extension V3Lowering {
  /// Adds the outputs (float32) and returns the plan (buffers still ids).
  mutating func finish() throws -> V3Plan {
    var outputs: [V3Plan.Output] = []
    for o in graph.outputs {
      let id = try floatBuffer(o.name, for: "the model output")
      outputs.append(V3Plan.Output(buffer: id, bytes: 4 * count(o.name)))
    }
    return V3Plan(
      layers: layers, bytes: main.map(\.bytes), views: views, kpuShapes: kpu,
      kpuLayers: kpuLayers.map { V3Plan.KPUPair(input: $0.input, output: $0.output) }, outputs: outputs)
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
}
