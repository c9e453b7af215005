extension V3Passes {
  /// Cancels `DEQUANTIZE` → `QUANTIZE` round trips: when a dequantize's float buffer is read by
  /// nothing but one quantize of the same count (and is no model output), the pair becomes one
  /// `REQUANTIZE` whose table is the float route evaluated on each of the 256 codes with the
  /// runtime's own arithmetic (``V3CPUKernels/dequantize(_:scale:bias:)`` then
  /// ``V3CPUKernels/quantize(_:scale:bias:)``), so every output byte equals the float route's.
  /// When that table is the identity (the same scale and bias, checked on all 256 codes, not
  /// assumed) the pair disappears and the quantize's readers read the codes directly; when the
  /// dequantize was the codes' last reader the table works in place. Returns the number of pairs
  /// cancelled.
  static func cancelRequantize(_ p: inout V3Plan) -> Int {
    var cancelled = 0
    var i = 0
    while i < p.layers.count {
      guard case let .dequantize(codes, float, n, s1, b1) = p.layers[i], let j = soleQuantizeReader(float, i, n, p),
        case let .quantize(_, out, _, s2, b2) = p.layers[j]
      else {
        i += 1
        continue
      }
      let table = (0...255).map {
        V3CPUKernels.quantize(V3CPUKernels.dequantize(UInt8($0), scale: s1, bias: b1), scale: s2, bias: b2)
      }
      let outputs = Set(p.outputs.map { p.root($0.buffer).buffer })
      let identity = table.enumerated().allSatisfy { Int($1) == $0 }
      if identity, !outputs.contains(out), p.views[out] == nil, !p.views.values.contains(where: { $0.parent == out }) {
        replace(out, by: codes, in: &p)
        p.layers.remove(at: j)
      } else if inPlace(codes, out, readBy: i, outputs, p) {
        // REQUANTIZE is elementwise (dest[i] = table[src[i]]), so it may overwrite codes no one
        // reads later: the table's output takes no memory of its own
        p.layers[j] = .requantize(input: codes, output: codes, count: n, table: table)
        replace(out, by: codes, in: &p)
      } else {
        p.layers[j] = .requantize(input: codes, output: out, count: n, table: table)
      }
      p.layers.remove(at: i)
      cancelled += 1
    }
    return cancelled
  }

  /// The index of the one layer reading `float` when it is a `QUANTIZE` of `count` values and
  /// nothing else (no other layer, view or output) uses the buffer.
  static func soleQuantizeReader(_ float: Int, _ writer: Int, _ count: Int, _ p: V3Plan) -> Int? {
    guard p.views[float] == nil, !p.views.values.contains(where: { $0.parent == float }),
      !p.outputs.contains(where: { p.root($0.buffer).buffer == float })
    else { return nil }
    let (writers, readers) = accesses(float, p)
    guard writers == [writer], readers.count == 1, let j = readers.first, j > writer,
      case let .quantize(input, _, n, _, _) = p.layers[j], input == float, n == count
    else { return nil }
    return j
  }

  /// Whether the requantize of `codes` into `out` may write over `codes`: the dequantize at
  /// `reader` is the codes' only reader, and neither buffer is an output or involved in a view.
  static func inPlace(_ codes: Int, _ out: Int, readBy reader: Int, _ outputs: Set<Int>, _ p: V3Plan) -> Bool {
    let involved = Set(p.views.keys).union(p.views.values.map(\.parent))
    guard !involved.contains(codes), !involved.contains(out), !outputs.contains(codes), !outputs.contains(out) else {
      return false
    }
    return accesses(codes, p).readers == [reader]
  }
}
