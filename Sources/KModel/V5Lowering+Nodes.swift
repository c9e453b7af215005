import Graph
import Quantization

extension V5Lowering {
  /// A node the KPU does not run, as stackvm tensor functions on uint8 codes.
  mutating func lowerCPU(_ node: Node) throws {
    let x = node.inputs.first ?? "", out = node.outputs[0]
    func fail(_ reason: String) -> KModelError { .unsupportedOp(node: node.name, op: node.op.rawValue, reason: reason) }
    let xs = shapes[x] ?? [], ys = shapes[out] ?? []
    switch node.op {
    case .identity, .dropout, .flatten, .reshape:
      codes[out] = codes[x]
      floats[out] = floats[x]
    case .globalAvgPool:
      let f = try floatRef(x, for: node.name)
      let o = newBuffer(4 * count(out))
      append(.reduceMean(f, o, inShape: xs))
      floats[out] = o
    case .dense:
      try lowerDense(node)
    case .upsample, .maxPool:
      guard xs.count == 4, let source = codes[x]?.first else {
        throw fail("the V5 writer runs it on the uint8 codes of a KPU layer's output; its input has none.")
      }
      let o = newBuffer(count(out))
      if node.op == .upsample {
        append(.resize(source.ref, o, inShape: xs, outHeight: ys[2], outWidth: ys[3]))
      } else {
        // codes as float32 (exact), REDUCE_WINDOW2D max, back to codes (exact)
        let (k, s, p) = (node.ints("kernel"), node.ints("stride"), node.ints("padding"))
        // nncase's window count is (in + before + after − k)/s + 1: extra `after` padding gives
        // ceil mode's size (padded taps are skipped)
        let bottom = (ys[2] - 1) * s[0] + k[0] - xs[2] - p[0], right = (ys[3] - 1) * s[1] + k[1] - xs[3] - p[1]
        let (f, g) = (newBuffer(4 * count(x)), newBuffer(4 * count(out)))
        append(.dequantize(source.ref, f, shape: xs, scale: 1, bias: 0))
        append(.maxPool(f, g, inShape: xs, kernel: k, stride: s, padding: [p[0], p[1], max(bottom, 0), max(right, 0)]))
        append(.quantize(g, o, shape: ys, inverseScale: 1, zeroPoint: 0))
      }
      codes[out] = [(source.param, o)]
    case .concat:
      try lowerConcat(node)
    default:
      throw fail(
        "the V5 writer has KPU convolutions, upsample, max pooling and concat on codes, and global average pooling"
          + " and dense in float; export V3 (export.kmodel.version: 3) for other CPU layers.")
    }
  }

  /// Dense as a float32 MATMUL with the weights transposed to [in, out] in the stackvm `.rdata`.
  mutating func lowerDense(_ node: Node) throws {
    guard let weight = graph.parameters[Parameter.key(node: node.name, role: "weight")]?.value else {
      throw KModelError.unsupportedOp(node: node.name, op: "dense", reason: "it has no float weights.")
    }
    let (n, k) = (weight.shape[0], weight.shape[1])
    guard count(node.inputs[0]) == k else {
      throw KModelError.unsupportedOp(node: node.name, op: "dense", reason: "its input is not one vector of \(k).")
    }
    let bias =
      graph.parameters[Parameter.key(node: node.name, role: "bias")]?.value?.scalars
      ?? [Float](repeating: 0, count: n)
    let w = weight.scalars
    let weights = constants((0..<(k * n)).map { i in w[(i % n) * k + i / n] })
    let biasOffset = constants(bias)
    let f = try floatRef(node.inputs[0], for: node.name)
    let o = newBuffer(4 * n)
    append(.matmul(f, o, k: k, n: n, weights: weights, bias: biasOffset))
    floats[node.outputs[0]] = o
  }

  /// Concat along channels of a batch-1 map: each part in the format of the KPU layers that read
  /// the result (COPYed when it has it, else LUT1D-converted) written at its channel offset.
  mutating func lowerConcat(_ node: Node) throws {
    let out = node.outputs[0], ys = shapes[out] ?? []
    func fail(_ reason: String) -> KModelError { .unsupportedOp(node: node.name, op: "concat", reason: reason) }
    guard node.int("axis") == 1, ys.count == 4, ys[0] == 1 else {
      throw fail("the V5 writer joins the channels of batch-1 NCHW maps only.")
    }
    let formats = (readers[out] ?? []).compactMap { executor.layers[$0.name]?.quantized.input }
    guard let param = formats.first, formats.count == readers[out]?.count,
      !graph.outputs.contains(where: { $0.name == out })
    else {
      throw fail("the V5 writer needs KPU convolutions as the only readers of a concat (their input format).")
    }
    let o = newBuffer(count(out))
    var offset = 0
    for input in node.inputs {
      let s = shapes[input] ?? []
      var slot = o
      slot.offset = offset
      if let hit = codes[input]?.first(where: { $0.param == param }) {
        append(.copy(hit.ref, slot, shape: s, datatype: 4))
      } else if let source = codes[input]?.first {
        append(.lut(source.ref, slot, shape: s, table: table { param.quantize(source.param.dequantize($0)) }))
      } else {
        throw fail("its input '\(input)' has no uint8 codes.")
      }
      offset += count(input)
    }
    codes[out] = [(param, o)]
  }
}
