import Graph

/// Splits a float graph into K210 layers the way nncase 1.9 does (`k210.md` §7): a convolution
/// with the BatchNorm, activation and pooling after it becomes one KPU layer when it meets the
/// KPU's rules; everything else runs on the CPU. A pure function of the graph, before any
/// training or quantization, so infeasible models are found early.
///
/// Decompositions mirrored from nncase 1.9: stride-2 3×3 convolutions use pool types 5/6
/// (non-depthwise) or a CPU slice (depthwise, other strides); asymmetric padding adds a CPU pad
/// or crop; maps smaller than 4×4 are padded to 4×4; `Add` becomes a concat plus a KPU 1×1
/// convolution; `Dense` a 1×1 convolution on a map padded to 4×4; every elementwise activation
/// after a convolution folds into the 16-segment activation table; pooling folds into the
/// convolution for non-depthwise layers when nncase's `fuse_kpu_conv2d_pool` accepts it.
public enum K210Partition {
  /// The layers of `graph` in execution order.
  /// - Throws: graph validation errors.
  public static func run(_ graph: ModelGraph, limits: K210Limits = K210Limits()) throws -> [K210Layer] {
    try graph.validate()
    let shapes = graph.valueShapes
    var consumers: [String: [Node]] = [:]
    for n in graph.nodes { for i in n.inputs { consumers[i, default: []].append(n) } }
    let outputs = Set(graph.outputs.map(\.name))
    /// The single node consuming `value`, when nothing else (not even a graph output) reads it.
    func only(_ value: String) -> Node? {
      guard !outputs.contains(value), let c = consumers[value], c.count == 1 else { return nil }
      return c[0]
    }
    func shape(_ v: String) -> [Int] { shapes[v] ?? [] }
    var fused = Set<String>()
    var layers: [K210Layer] = []
    for node in graph.nodes where !fused.contains(node.name) {
      if node.op == .conv {
        var chain = [node]
        var out = node.outputs[0]
        if let bn = only(out), bn.op == .batchNorm { chain.append(bn); out = bn.outputs[0] }
        if let act = only(out), activations.contains(act.op) { chain.append(act); out = act.outputs[0] }
        let depthwise = isDepthwise(node, input: shape(node.inputs[0]))
        if !depthwise, let pool = only(out), fusablePool(pool) != nil {
          chain.append(pool)
          out = pool.outputs[0]
        }
        let layer = convLayer(chain, graph: graph, shape: shape, output: out, limits: limits)
        if layer.processor == .kpu {
          chain.forEach { fused.insert($0.name) }
          layers.append(layer)
        } else {
          // only the convolution itself falls back; what followed it is placed on its own
          fused.insert(node.name)
          layers.append(convLayer([node], graph: graph, shape: shape, output: node.outputs[0], limits: limits))
        }
        continue
      }
      fused.insert(node.name)
      layers.append(cpuOrOther(node, graph: graph, shape: shape, limits: limits))
    }
    // Only maps that come from main memory (the graph input, CPU ops) are uploaded; a KPU
    // convolution fed by KPU layers reads KPU RAM directly.
    var onKPU = Set<String>()
    for i in layers.indices where layers[i].processor == .kpu {
      let width = layers[i].inputShape.last ?? 0
      if graph.node(named: layers[i].name)?.op == .conv, !layers[i].inputs.allSatisfy(onKPU.contains),
        !KPURowLayout.isPlain(width: width)
      {
        layers[i].notes.append(
          "input width \(width) is not a multiple of 64: the CPU rewrites uploads into the row layout")
      }
      onKPU.insert(layers[i].output)
    }
    return layers
  }

  /// Activations nncase folds into the KPU's 16-segment table.
  static let activations: Set<OpKind> = [.relu, .relu6, .leakyRelu, .sigmoid, .tanh]

  static func isDepthwise(_ conv: Node, input: [Int]) -> Bool {
    let g = conv.int("groups")
    return g > 1 && input.count == 4 && g == input[1] && conv.int("outChannels") == g
  }

  /// The pool types nncase 1.9 fuses into a KPU convolution: 2×2/2, 4×4/4 without padding,
  /// and 2×2/1 padded right and bottom by one.
  static func fusablePool(_ pool: Node) -> String? {
    guard pool.op == .maxPool || pool.op == .avgPool else { return nil }
    let k = pool.ints("kernel"), s = pool.ints("stride"), p = pool.ints("padding")
    let kind = pool.op == .maxPool ? "MaxPool" : "AvgPool"
    if k == [2, 2] && s == [2, 2] && p == [0, 0, 0, 0] { return "\(kind) 2×2/2" }
    if k == [4, 4] && s == [4, 4] && p == [0, 0, 0, 0] { return "\(kind) 4×4/4" }
    if k == [2, 2] && s == [1, 1] && p == [0, 0, 1, 1] { return "\(kind) 2×2/1" }
    return nil
  }

  static func convLayer(
    _ chain: [Node], graph: ModelGraph, shape: (String) -> [Int], output: String, limits: K210Limits
  ) -> K210Layer {
    let conv = chain[0]
    let x = shape(conv.inputs[0]), y = shape(output), convOut = shape(conv.outputs[0])
    let k = conv.ints("kernel"), s = conv.ints("stride"), d = conv.ints("dilation"), p = conv.ints("padding")
    let groups = conv.int("groups"), oc = conv.int("outChannels")
    let depthwise = isDepthwise(conv, input: x)
    var violations: [K210Violation] = []
    var notes: [String] = []
    if !(k == [1, 1] || k == [3, 3]) {
      violations.append(.init("kernel size", limit: "square 1×1 or 3×3", value: "\(k[0])×\(k[1])"))
    }
    if d != [1, 1] { violations.append(.init("dilation", limit: "1", value: "\(d)")) }
    if !(groups == 1 || depthwise) {
      violations.append(
        .init("groups", limit: "1 or the channel count (depthwise)", value: "\(groups) of \(x[1]) channels"))
    }
    if x[1] > limits.maxChannels {
      violations.append(.init("input channels", limit: "≤ \(limits.maxChannels)", value: "\(x[1])"))
    }
    if oc > limits.maxChannels {
      violations.append(.init("output channels", limit: "≤ \(limits.maxChannels)", value: "\(oc)"))
    }
    let (h, w) = (x[2] + p[0] + p[2] - 2 * (k[0] / 2), x[3] + p[1] + p[3] - 2 * (k[1] / 2))
    if h > limits.maxHeight { violations.append(.init("input height", limit: "≤ \(limits.maxHeight)", value: "\(h)")) }
    if w > limits.maxWidth { violations.append(.init("input width", limit: "≤ \(limits.maxWidth)", value: "\(w)")) }
    let same = k[0] / 2
    if p != [same, same, same, same] {
      notes.append("padding \(p) is not the KPU's symmetric \(same): CPU pad before and/or crop after")
    }
    if s != [1, 1] {
      let pooled = chain.contains { $0.op == .maxPool || $0.op == .avgPool }
      if s == [2, 2] && k == [3, 3] && !depthwise && !pooled {
        notes.append("stride 2 done by the KPU's pool types 5/6")
      } else {
        notes.append(
          "stride \(s[0])×\(s[1]): the KPU convolves at stride 1 and the CPU slices every \(s[0])th row and column")
      }
    }
    var kpuIn = x, kpuOut = convOut
    if min(x[2], x[3]) < limits.minSide || (convOut.count == 4 && min(convOut[2], convOut[3]) < limits.minSide) {
      // nncase 1.9's pad_conv_transform: the KPU convolves the map padded to 4 on the bottom and
      // right, so its time and KPU RAM are the padded map's
      (kpuIn, kpuOut) = paddedShapes(x, convOut, limits: limits)
      notes.append(
        "map smaller than 4×4: CPU pad to \(kpuIn[2])×\(kpuIn[3]) before the KPU and crop after (the KPU computes"
          + " and stores the padded map)")
    }
    let summary =
      ([depthwise ? "depthwise conv \(k[0])×\(k[1])" : "conv \(k[0])×\(k[1])"]
      + chain.dropFirst().map { n -> String in
        fusablePool(n) ?? n.op.rawValue
      }).joined(separator: " + ")
    let weights = oc * (x[1] / groups) * k[0] * k[1]
    let kpu = violations.isEmpty
    let bias = conv.bool("bias") ? oc : 0
    return K210Layer(
      name: conv.name, nodes: chain.map(\.name), summary: summary, processor: kpu ? .kpu : .cpu,
      notes: kpu ? notes : ["falls back to a float32 CPU convolution (nncase keeps it on stackvm)"],
      violations: violations,
      inputShape: x, outputShape: y, macs: macs(conv, x: kpuIn, y: kpuOut),
      parameterBytes: kpu ? weights + 8 * oc + 256 : 4 * (weights + bias), inputs: [conv.inputs[0]], output: output)
  }

  /// The input and (convolution) output shapes the KPU works on when a side is below 4: each
  /// side below 4 padded to 4 (output sides scaled by the layer's stride).
  static func paddedShapes(_ x: [Int], _ y: [Int], limits: K210Limits) -> (input: [Int], output: [Int]) {
    guard x.count == 4, y.count == 4 else { return (x, y) }
    var (px, py) = (x, y)
    for axis in 2...3 where x[axis] < limits.minSide {
      px[axis] = limits.minSide
      py[axis] = max(y[axis], limits.minSide / factor(x[axis], y[axis]))
    }
    return (px, py)
  }

  /// The downsampling factor (1, 2 or 4) that turns a side of `x` into `y` (floor division).
  static func factor(_ x: Int, _ y: Int) -> Int { [1, 2, 4].first { x / $0 == y } ?? 1 }

  /// Shapes for the KPU RAM plan: the values a KPU layer on a map below 4×4 reads and writes,
  /// padded as that layer's KPU sees them (the graph's shapes otherwise).
  public static func kpuShapes(_ layers: [K210Layer], graph: [String: [Int]], limits: K210Limits = K210Limits())
    -> [String: [Int]]
  {
    var shapes = graph
    for l in layers where l.processor == .kpu && l.inputShape.count == 4 && l.outputShape.count == 4 {
      guard min(l.inputShape[2], l.inputShape[3]) < limits.minSide else { continue }
      let (px, _) = paddedShapes(l.inputShape, l.outputShape, limits: limits)
      for v in l.inputs { shapes[v] = px }
      var py = l.outputShape
      for axis in 2...3 where l.inputShape[axis] < limits.minSide {
        py[axis] = max(py[axis], px[axis] / factor(l.inputShape[axis], l.outputShape[axis]))
      }
      shapes[l.output] = py
    }
    return shapes
  }

  static func macs(_ conv: Node, x: [Int], y: [Int]) -> Int {
    let k = conv.ints("kernel")
    return y.count == 4 ? y[1] * y[2] * y[3] * (x[1] / conv.int("groups")) * k[0] * k[1] : 0
  }

  static func cpuOrOther(_ node: Node, graph: ModelGraph, shape: (String) -> [Int], limits: K210Limits) -> K210Layer {
    let x = node.inputs.first.map(shape) ?? [], y = shape(node.outputs[0])
    var processor = K210Layer.Processor.cpu
    var notes: [String] = []
    var violations: [K210Violation] = []
    var bytes = graph.parameters(of: node).reduce(0) { $0 + 4 * $1.parameter.count }
    var macs = 0
    switch node.op {
    case .add:
      processor = .kpu
      notes.append("nncase's add_to_conv2d: the CPU concatenates both inputs, a KPU 1×1 convolution adds them")
      bytes = 2 * (x.count > 1 ? x[1] : 0) * (x.count > 1 ? x[1] : 0) + 8 * (x.count > 1 ? x[1] : 0) + 256
    case .dense:
      let (inF, outF) = (x.last ?? 0, y.last ?? 0)
      if inF <= limits.maxChannels && outF <= limits.maxChannels {
        processor = .kpu
        notes.append("as the nncase FAQ describes: CPU pad to 4×4, KPU 1×1 convolution, CPU crop and reshape")
        bytes = inF * outF + 8 * outF + 256
      } else {
        if inF > limits.maxChannels {
          violations.append(.init("input features", limit: "≤ \(limits.maxChannels)", value: "\(inF)"))
        }
        if outF > limits.maxChannels {
          violations.append(.init("output features", limit: "≤ \(limits.maxChannels)", value: "\(outF)"))
        }
      }
      macs = inF * outF
    case .maxPool, .avgPool:
      notes.append(
        "CPU ReduceWindow2D (pooling fuses into the KPU only after a non-depthwise conv with nncase's pool shapes)")
    case .globalAvgPool: notes.append("CPU Reduce")
    case .upsample: notes.append("CPU ResizeImage (nearest)")
    case .concat: notes.append("CPU copy into the concatenated tensor")
    case .flatten, .reshape, .identity, .dropout: notes.append("no work: a view of its input")
    case .batchNorm, .relu, .relu6, .leakyRelu, .sigmoid, .tanh:
      notes.append("elementwise on the CPU (not after a KPU convolution)")
    case .l2Normalize: notes.append("CPU L2 normalisation")
    case .conv: break
    }
    return K210Layer(
      name: node.name, nodes: [node.name], summary: node.op.rawValue, processor: processor, notes: notes,
      violations: violations,
      inputShape: x, outputShape: y, macs: macs, parameterBytes: bytes, inputs: node.inputs, output: node.outputs[0])
  }
}
