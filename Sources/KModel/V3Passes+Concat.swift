extension V3Passes {
  /// Concat elimination by output placement: when every input of a `CONCAT` is a whole buffer
  /// written by exactly one earlier layer, not a model output and not already placed elsewhere,
  /// each producer writes straight into the concat's output at the input's offset (the input's
  /// id becomes a view there) and the concat layer, its copy and the inputs' own buffers go.
  /// The readers of an input read the same bytes at the new place, so every layer's output is
  /// unchanged. Offsets must be multiples of 8 (the alignment of every main buffer, which keeps
  /// a KPU producer's DMA target aligned as before). Returns the number of concats removed.
  static func eliminateConcats(_ p: inout V3Plan) -> Int {
    var removed = 0
    var i = 0
    while i < p.layers.count {
      guard case let .concat(output, inputs) = p.layers[i], canEliminate(output, inputs, at: i, p) else {
        i += 1
        continue
      }
      var offset = 0
      for input in inputs {
        let view = p.view(of: output, offset: offset)
        replace(input.start, by: view, in: &p)
        offset += input.size
      }
      p.layers.remove(at: i)
      removed += 1
    }
    return removed
  }

  static func canEliminate(_ output: Int, _ inputs: [KModelV3Range], at index: Int, _ p: V3Plan) -> Bool {
    let outputs = Set(p.outputs.map { p.root($0.buffer).buffer })
    var offset = 0
    var seen = Set<Int>()
    for input in inputs {
      defer { offset += input.size }
      guard offset % 8 == 0, p.views[input.start] == nil, !p.views.values.contains(where: { $0.parent == input.start }),
        !outputs.contains(input.start), p.bytes[input.start] == input.size, seen.insert(input.start).inserted
      else { return false }
      let (writers, _) = accesses(input.start, p)
      guard writers.count == 1, let w = writers.first, w < index,
        p.layers[w].mainAccesses.writes.contains(where: { $0.buffer == input.start && $0.bytes == input.size })
      else { return false }
    }
    // nothing else touches the output before the concat writes it
    let (writers, readers) = accesses(output, p)
    return writers == [index] && readers.allSatisfy { $0 > index } && p.views[output] == nil
  }
}
