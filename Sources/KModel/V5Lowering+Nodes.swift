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
      parts[out] = parts[x]
    case .globalAvgPool:
      let f = try floatRef(x, for: node.name)
      let o = newBuffer(4 * count(out))
      append(.reduce(f, o, inShape: xs, axes: [2, 3], op: 0))
      floats[out] = o
    case .l2Normalize:
      try lowerL2Normalize(node)
    case .dense:
      try lowerDense(node)
    case .maxPool where parts[x] != nil:
      // max pooling is per channel: pool each part of a deferred concat in its own format
      var pooled: [String] = []
      for (k, part) in (parts[x] ?? []).enumerated() {
        var single = node
        single.inputs = [part]
        single.outputs = ["\(out)#\(k)"]
        let s = shapes[part] ?? []
        shapes[single.outputs[0]] = [s[0], s[1], ys[2], ys[3]]
        try lowerCPU(single)
        pooled.append(single.outputs[0])
      }
      parts[out] = pooled
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
        "the V5 writer has KPU convolutions, upsample, max pooling and concat on codes, and global average pooling,"
          + " dense and L2 normalisation in float; export V3 (export.kmodel.version: 3) for other CPU layers.")
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

  /// Concat along channels of a batch-1 map. Read by KPU convolutions of one input format only:
  /// each part in that format (COPYed when it has it, else LUT1D-converted) written at its
  /// channel offset. Otherwise the concat is deferred (``parts``): max pooling pools each part,
  /// a KPU convolution joins them in its format (``codeRef``), float ops dequantize each part
  /// into its channels (``floatRef``); so no value is requantized on the way, as in the executor.
  mutating func lowerConcat(_ node: Node) throws {
    let out = node.outputs[0], ys = shapes[out] ?? []
    func fail(_ reason: String) -> KModelError { .unsupportedOp(node: node.name, op: "concat", reason: reason) }
    guard node.int("axis") == 1, ys.count == 4, ys[0] == 1 else {
      throw fail("the V5 writer joins the channels of batch-1 NCHW maps only.")
    }
    for input in node.inputs where codes[input] == nil && parts[input] == nil {
      throw fail("its input '\(input)' has no uint8 codes.")
    }
    let formats = (readers[out] ?? []).compactMap { executor.layers[$0.name]?.quantized.input }
    guard let param = formats.first, formats.count == readers[out]?.count, !formats.contains(where: { $0 != param }),
      !graph.outputs.contains(where: { $0.name == out })
    else {
      parts[out] = node.inputs.flatMap { parts[$0] ?? [$0] }
      return
    }
    codes[out] = [(param, try join(node.inputs, param, into: count(out), for: node.name))]
  }

  /// The channels of `inputs` side by side as uint8 codes in `param` (batch-1 maps).
  mutating func join(_ inputs: [String], _ param: K210QuantParam, into total: Int, for node: String) throws -> V5Ref {
    let o = newBuffer(total)
    var offset = 0
    for input in inputs {
      let s = shapes[input] ?? []
      var slot = o
      slot.offset = offset
      if let hit = codes[input]?.first(where: { $0.param == param }) {
        append(.copy(hit.ref, slot, shape: s, datatype: 4))
      } else if let source = codes[input]?.first {
        append(.lut(source.ref, slot, shape: s, table: table { param.quantize(source.param.dequantize($0)) }))
      } else {
        throw KModelError.unsupportedOp(node: node, op: "concat", reason: "its input '\(input)' has no uint8 codes.")
      }
      offset += count(input)
    }
    return o
  }

  /// L2 normalisation over the channels as nncase 1.9's ONNX importer lowers LpNormalization
  /// (p = 2; `src/importer/onnx/ops/lpnorm.cpp`): UNARY square, REDUCE sum over axis 1 (dimensions
  /// kept; row-major, starting at 0), BINARY max with epsilon (a constant in the stackvm `.rdata`),
  /// UNARY sqrt, BINARY div of the input by the broadcast norm. nncase takes max(Σx², ε) where the
  /// graph's op adds ε, equal unless Σx² is within rounding of ε.
  mutating func lowerL2Normalize(_ node: Node) throws {
    let x = node.inputs[0], xs = shapes[x] ?? []
    guard xs.count >= 2, xs[0] == 1 else {
      throw KModelError.unsupportedOp(
        node: node.name, op: node.op.rawValue, reason: "the V5 writer normalises batch-1 tensors of rank 2 or more.")
    }
    let norm = xs.indices.map { $0 == 1 ? 1 : xs[$0] }, n = norm.reduce(1, *)
    let epsilon = constants([node.float("epsilon")])
    let f = try floatRef(x, for: node.name)
    let (squares, sum, clamped, root) = (
      newBuffer(4 * count(x)), newBuffer(4 * n), newBuffer(4 * n), newBuffer(4 * n)
    )
    append(.unary(f, squares, shape: xs, op: 14))
    append(.reduce(squares, sum, inShape: xs, axes: [1], op: 3))
    append(.binary(sum, V5Ref(location: 2, offset: epsilon), clamped, aShape: norm, bShape: norm.map { _ in 1 }, op: 5))
    append(.unary(clamped, root, shape: norm, op: 13))
    let o = newBuffer(4 * count(x))
    append(.binary(f, root, o, aShape: xs, bShape: norm, op: 3))
    floats[node.outputs[0]] = o
  }
}
