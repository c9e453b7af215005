extension KModelV3Layer {
  /// The main-buffer addresses (or, during lowering, buffer ids) the layer reads and writes, with
  /// the bytes it touches at each; KPU rows are not listed. Used to compute buffer lifetimes, to
  /// rewrite buffers in the optimisation passes and to count the bytes a CPU layer moves.
  var mainAccesses: (reads: [(buffer: Int, bytes: Int)], writes: [(buffer: Int, bytes: Int)]) {
    func pool(_ p: KModelV3Pool, _ element: Int) -> ([(Int, Int)], [(Int, Int)]) {
      ([(p.input, element * p.inShape.count)], [(p.output, element * p.outShape.count)])
    }
    switch self {
    case let .add(a, b, output, count): return ([(a, 4 * count), (b, 4 * count)], [(output, 4 * count)])
    case let .globalAveragePool2D(i, o, k, c): return ([(i, 4 * k * c)], [(o, 4 * c)])
    case let .quantizedMaxPool2D(p): return pool(p, 1)
    case let .averagePool2D(p, _): return pool(p, 4)
    case let .quantize(i, o, n, _, _): return ([(i, 4 * n)], [(o, n)])
    case let .dequantize(i, o, n, _, _): return ([(i, n)], [(o, 4 * n)])
    case let .requantize(i, o, n, _): return ([(i, n)], [(o, n)])
    case let .l2Normalization(i, o, c), let .softmax(i, o, c), let .logistic(i, o, c):
      return ([(i, 4 * c)], [(o, 4 * c)])
    case let .concat(o, inputs):
      return (inputs.map { ($0.start, $0.size) }, [(o, inputs.reduce(0) { $0 + $1.size })])
    case let .fullyConnected(i, o, ic, oc, _, _, _): return ([(i, 4 * ic)], [(o, 4 * oc)])
    case let .tensorflowFlatten(i, o, s): return ([(i, 4 * s.count)], [(o, 4 * s.count)])
    case let .resizeNearestNeighbor(i, o, s, w, h, _, q):
      let e = q ? 1 : 4
      return ([(i, e * s.count)], [(o, e * w * h * s.channels)])
    case let .upload(i, _, w, h, c): return ([(i, w * h * c)], [])
    case let .conv(c):
      let a = c.argument
      return ([], c.mainMemoryOutput.map { [($0, a.outputWidth * a.outputHeight * a.outputChannels)] } ?? [])
    }
  }

  /// The layer with every main buffer replaced by `main(buffer)` and every KPU buffer by
  /// `kpu(buffer)`.
  func mapped(main m: (Int) -> Int, kpu k: (Int) -> Int) -> KModelV3Layer {
    func pool(_ p: KModelV3Pool) -> KModelV3Pool {
      var p = p
      (p.input, p.output) = (m(p.input), m(p.output))
      return p
    }
    switch self {
    case let .add(a, b, output, count): return .add(a: m(a), b: m(b), output: m(output), count: count)
    case let .globalAveragePool2D(i, o, k, c):
      return .globalAveragePool2D(input: m(i), output: m(o), kernelSize: k, channels: c)
    case let .quantizedMaxPool2D(p): return .quantizedMaxPool2D(pool(p))
    case let .averagePool2D(p, act): return .averagePool2D(pool(p), activation: act)
    case let .quantize(i, o, n, s, b): return .quantize(input: m(i), output: m(o), count: n, scale: s, bias: b)
    case let .dequantize(i, o, n, s, b): return .dequantize(input: m(i), output: m(o), count: n, scale: s, bias: b)
    case let .requantize(i, o, n, t): return .requantize(input: m(i), output: m(o), count: n, table: t)
    case let .l2Normalization(i, o, c): return .l2Normalization(input: m(i), output: m(o), channels: c)
    case let .softmax(i, o, c): return .softmax(input: m(i), output: m(o), channels: c)
    case let .logistic(i, o, c): return .logistic(input: m(i), output: m(o), channels: c)
    case let .concat(o, inputs):
      return .concat(output: m(o), inputs: inputs.map { KModelV3Range(start: m($0.start), size: $0.size) })
    case let .fullyConnected(i, o, ic, oc, act, w, b):
      return .fullyConnected(
        input: m(i), output: m(o), inChannels: ic, outChannels: oc, activation: act, weights: w, bias: b)
    case let .tensorflowFlatten(i, o, s): return .tensorflowFlatten(input: m(i), output: m(o), shape: s)
    case let .resizeNearestNeighbor(i, o, s, w, h, a, q):
      return .resizeNearestNeighbor(
        input: m(i), output: m(o), inShape: s, outWidth: w, outHeight: h, alignCorners: a, quantized: q)
    case let .upload(i, row, w, h, c): return .upload(input: m(i), kpuRow: k(row), width: w, height: h, channels: c)
    case var .conv(c):
      c.mainMemoryOutput = c.mainMemoryOutput.map(m)
      c.argument.imageSourceAddress = k(c.argument.imageSourceAddress)
      c.argument.imageDestinationAddress = k(c.argument.imageDestinationAddress)
      return .conv(c)
    }
  }

  /// Whether the layer runs on the CPU (every layer but `K210_CONV`).
  var runsOnCPU: Bool {
    if case .conv = self { return false }
    return true
  }
}
