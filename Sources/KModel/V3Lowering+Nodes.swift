import Graph
import Quantization

extension V3Lowering {
  /// Lowers every node in graph order.
  mutating func run() throws {
    guard graph.inputs.count == 1, let input = graph.inputs.first, input.shape.count == 4, input.shape[0] == 1 else {
      throw KModelError.unsupportedGraph(reason: "V3 models take one NCHW image of batch 1.")
    }
    guard let first = graph.nodes.first, let layer = executor.layers[first.name], first.inputs[0] == input.name
    else {
      throw KModelError.unsupportedGraph(
        reason: "its first node must be a KPU convolution of the input (the SDK's kpu_run_kmodel uploads the input"
          + " for it).")
    }
    kpu.append(input.shape)
    onKPU[input.name] = (layer.quantized.input, 0)
    let folded = Set(executor.layers.values.compactMap(\.activation))
    for node in graph.nodes where !folded.contains(node.name) && !done.contains(node.name) {
      if let l = executor.layers[node.name] {
        try lowerConv(node, l)
      } else {
        try lowerCPU(node)
      }
    }
  }

  /// A node that is not a KPU layer.
  mutating func lowerCPU(_ node: Node) throws {
    let x = node.inputs.first ?? "", out = node.outputs[0]
    func fail(_ reason: String) -> KModelError { .unsupportedOp(node: node.name, op: node.op.rawValue, reason: reason) }
    let xs = shapes[x] ?? [], ys = shapes[out] ?? []
    func shape3(_ s: [Int]) -> KModelV3Shape { KModelV3Shape(width: s[3], height: s[2], channels: s[1]) }
    switch node.op {
    case .identity, .dropout:
      alias(out, x)
    case .flatten, .reshape:
      alias(out, x)
      onKPU[out] = nil
      paddedOnKPU[out] = nil
      try cropPadded(x)
      codes[out] = codes[x]
      paddedInMain[out] = nil
    case .maxPool, .upsample:
      guard xs.count == 4, let (param, id) = codes[x]?.first else {
        if node.op == .upsample, xs.count == 4 {
          let input = try floatBuffer(x, for: node.name)
          let o = newMain(4 * count(out))
          use(input)
          layers.append(
            .resizeNearestNeighbor(
              input: input, output: o, inShape: shape3(xs), outWidth: ys[3], outHeight: ys[2], alignCorners: 0,
              quantized: false))
          floats[out] = o
          return
        }
        throw fail("V3 has max pooling on uint8 codes only, and its input is float here.")
      }
      let o = newMain(count(out))
      use(id)
      if node.op == .upsample {
        layers.append(
          .resizeNearestNeighbor(
            input: id, output: o, inShape: shape3(xs), outWidth: ys[3], outHeight: ys[2], alignCorners: 0,
            quantized: true))
      } else {
        let (k, s, p) = (node.ints("kernel"), node.ints("stride"), node.ints("padding"))
        layers.append(
          .quantizedMaxPool2D(
            KModelV3Pool(
              input: id, output: o, inShape: shape3(xs), outShape: shape3(ys), kernelWidth: k[1], kernelHeight: k[0],
              strideWidth: s[1], strideHeight: s[0], paddingWidth: p[1], paddingHeight: p[0])))
      }
      codes[out] = [(param, o)]
    case .avgPool:
      let (k, s, p) = (node.ints("kernel"), node.ints("stride"), node.ints("padding"))
      if p.contains(where: { $0 != 0 }) && node.bool("countIncludePad") {
        throw fail("V3's AVERAGE_POOL2D divides by the taps inside the map; set countIncludePad to false or pad 0.")
      }
      let input = try floatBuffer(x, for: node.name)
      let o = newMain(4 * count(out))
      use(input)
      layers.append(
        .averagePool2D(
          KModelV3Pool(
            input: input, output: o, inShape: shape3(xs), outShape: shape3(ys), kernelWidth: k[1], kernelHeight: k[0],
            strideWidth: s[1], strideHeight: s[0], paddingWidth: p[1], paddingHeight: p[0]), activation: 0))
      floats[out] = o
    case .globalAvgPool:
      let input = try floatBuffer(x, for: node.name)
      let o = newMain(4 * xs[1])
      use(input)
      layers.append(.globalAveragePool2D(input: input, output: o, kernelSize: xs[2] * xs[3], channels: xs[1]))
      floats[out] = o
    case .add:
      let (a, b) = (try floatBuffer(node.inputs[0], for: node.name), try floatBuffer(node.inputs[1], for: node.name))
      guard count(node.inputs[0]) == count(node.inputs[1]) else { throw fail("V3's ADD has no broadcasting.") }
      let o = newMain(4 * count(out))
      use(a, b)
      layers.append(.add(a: a, b: b, output: o, count: count(out)))
      floats[out] = o
    case .sigmoid, .l2Normalize:
      if node.op == .l2Normalize && xs.count != 2 {
        throw fail("V3's L2_NORMALIZATION normalises one vector; the input must be [1, features].")
      }
      let input = try floatBuffer(x, for: node.name)
      let o = newMain(4 * count(out))
      use(input)
      layers.append(
        node.op == .sigmoid
          ? .logistic(input: input, output: o, channels: count(out))
          : .l2Normalization(input: input, output: o, channels: count(out)))
      floats[out] = o
    case .dense:
      try lowerDense(node)
    case .concat:
      try lowerConcat(node)
    case .conv:
      throw fail(
        "the KPU cannot run it (1×1 or 3×3 filters with 'same' padding, stride 1 or 2, dense or depthwise)"
          + " and V3 has no float convolution.")
    case .relu, .relu6, .leakyRelu, .tanh, .batchNorm:
      throw fail(
        "V3 has no standalone \(node.op.rawValue) layer; only an activation right after a KPU convolution"
          + " (folded into its table) or a dense layer (ReLU, ReLU6) can be written. Fold BatchNorm first.")
    }
  }

  /// `FULLY_CONNECTED` (float weights), with a ReLU or ReLU6 that alone reads it folded in.
  mutating func lowerDense(_ node: Node) throws {
    let x = node.inputs[0]
    let bias = graph.parameters[Parameter.key(node: node.name, role: "bias")]?.value
    guard let weight = graph.parameters[Parameter.key(node: node.name, role: "weight")]?.value else {
      throw KModelError.unsupportedOp(node: node.name, op: "dense", reason: "it has no float weights.")
    }
    let (outF, inF) = (weight.shape[0], weight.shape[1])
    var out = node.outputs[0]
    var act = 0
    if !graphOutputs.contains(out), let r = readers[out], r.count == 1, r[0].op == .relu || r[0].op == .relu6 {
      act = r[0].op == .relu ? 1 : 2
      done.insert(r[0].name)
      out = r[0].outputs[0]
    }
    let input = try floatBuffer(x, for: node.name)
    let o = newMain(4 * outF)
    use(input)
    layers.append(
      .fullyConnected(
        input: input, output: o, inChannels: inF, outChannels: outF, activation: act, weights: weight.scalars,
        bias: bias?.scalars ?? [Float](repeating: 0, count: outF)))
    floats[out] = o
  }

  /// `CONCAT` along channels: of codes in the reading KPU convolution's input format when one
  /// reads the result and every input has codes, else of float32 values.
  mutating func lowerConcat(_ node: Node) throws {
    let out = node.outputs[0]
    guard node.int("axis") == 1 || (shapes[out] ?? []).count == 2 else {
      throw KModelError.unsupportedOp(
        node: node.name, op: "concat", reason: "V3's CONCAT joins whole tensors, i.e. channels of a batch-1 map.")
    }
    let allCoded = node.inputs.allSatisfy { codes[$0] != nil }
    let onlyKPUReaders =
      !graphOutputs.contains(out) && (readers[out] ?? []).allSatisfy { executor.layers[$0.name] != nil }
    if allCoded, onlyKPUReaders, let param = kpuReaderFormat(out) {
      let parts = try node.inputs.map { try codeBuffer($0, param, for: node.name) }
      let o = newMain(count(out))
      for p in parts { use(p) }
      layers.append(
        .concat(
          output: o, inputs: zip(parts, node.inputs).map { KModelV3Range(start: $0, size: count($1)) }))
      codes[out] = [(param, o)]
      return
    }
    let parts = try node.inputs.map { try floatBuffer($0, for: node.name) }
    let o = newMain(4 * count(out))
    for p in parts { use(p) }
    layers.append(
      .concat(output: o, inputs: zip(parts, node.inputs).map { KModelV3Range(start: $0, size: 4 * count($1)) }))
    floats[out] = o
  }
}
