import Graph
import Tensors

/// The `k210` scheme at graph level: every convolution the KPU can run — 1×1 (no padding) or
/// 3×3 (padding 1) filters, dilation 1, dense or depthwise, stride 1, or stride 2 realised as the
/// stride-1 layer followed by the KPU's `left_top` 2×2 pool — becomes a ``K210ConvLayer`` with
/// the activation that alone reads it (ReLU, ReLU6, leaky ReLU) folded into its table, as
/// nncase 1.9 does; the layer runs on uint8 codes exactly as §3 of `k210.md` specifies, between
/// a quantize of its input (``K210QuantParam``) and a dequantize of its output. A 3×3 convolution
/// without padding ("valid", stride 1 or 2) runs as the same-padded stride-1 KPU layer whose
/// output the CPU slices from pixel (1, 1) every `stride` pixels, nncase 1.9's decomposition of
/// padding the KPU does not have (`k210.md` §7). Every other op runs in float, as nncase 1.9 runs
/// non-KPU ops on the CPU.
public struct K210Executor: QuantizedInference {
  /// One KPU layer: the conv node, the activation node folded into it (if any), the stride, the
  /// quantized layer and, for a valid-padded 3×3 convolution, the origin 1 of the CPU slice that
  /// takes its output from the KPU's same-padded stride-1 map (0 otherwise).
  public struct KPULayer: Sendable {
    public var conv: String
    public var activation: String?
    public var stride: Int
    public var quantized: K210Quantizer.Result
    public var origin = 0
  }

  /// The float graph (BatchNorm folded).
  public let graph: ModelGraph
  /// KPU layers by conv node name.
  public let layers: [String: KPULayer]

  /// Quantizes every eligible conv of `graph` from the calibrated `ranges` (of the conv's input,
  /// its output and its activation's output).
  /// - Throws: ``QuantizationError`` for missing weights or ranges.
  public init(_ graph: ModelGraph, ranges: [String: ClosedRange<Float>]) throws {
    var readers: [String: [Node]] = [:]
    for node in graph.nodes { for input in node.inputs { readers[input, default: []].append(node) } }
    let outputs = Set(graph.outputs.map(\.name))
    var layers: [String: KPULayer] = [:]
    func range(_ name: String) throws -> ClosedRange<Float> {
      guard let r = ranges[name] else { throw QuantizationError.missingRange(graph: graph.name, value: name) }
      return r
    }
    for node in graph.nodes where node.op == .conv {
      guard let stride = Self.kpuStride(node, graph) else { continue }
      let out = node.outputs[0]
      var activation: Node?
      var kind = K210Activation.linear
      if let r = readers[out], r.count == 1, !outputs.contains(out) {
        switch r[0].op {
        case .relu: kind = .relu
        case .relu6: kind = .relu6
        case .leakyRelu: kind = .leakyRelu(alpha: r[0].float("alpha"))
        default: break
        }
        if kind != .linear { activation = r[0] }
      }
      let wKey = Parameter.key(node: node.name, role: "weight")
      guard let weight = graph.parameters[wKey]?.value else {
        throw QuantizationError.needsFloatWeights(graph: graph.name, parameter: wKey)
      }
      let bias =
        graph.parameters[Parameter.key(node: node.name, role: "bias")]?.value ?? Tensor(zeros: [weight.shape[0]])
      let result = K210Quantizer.quantize(
        weight: weight, bias: bias, depthwise: node.int("groups") > 1, inputRange: try range(node.inputs[0]),
        convOutputRange: try range(out), outputRange: try range(activation?.outputs[0] ?? out), activation: kind)
      layers[node.name] = KPULayer(
        conv: node.name, activation: activation?.name, stride: stride, quantized: result,
        origin: node.ints("padding") == [0, 0, 0, 0] ? node.ints("kernel")[0] / 2 : 0)
    }
    self.graph = graph
    self.layers = layers
  }

  /// The stride of a conv the KPU can run, or nil.
  static func kpuStride(_ node: Node, _ graph: ModelGraph) -> Int? {
    let k = node.ints("kernel"), s = node.ints("stride"), p = node.ints("padding"), d = node.ints("dilation")
    guard k[0] == k[1], k[0] == 1 || k[0] == 3, d == [1, 1], s[0] == s[1], s[0] == 1 || s[0] == 2 else { return nil }
    // valid 3×3: the same-padded KPU layer and a CPU slice from (1, 1), at any map size ≥ 3
    if k[0] == 3 && p == [0, 0, 0, 0] {
      guard let shape = graph.shape(of: node.inputs[0]), shape.count == 4, shape[2] >= 3, shape[3] >= 3 else {
        return nil
      }
    } else {
      guard p == [Int](repeating: k[0] / 2, count: 4) else { return nil }
    }
    let groups = node.int("groups"), c = graph.shape(of: node.inputs[0])?[1] ?? 0
    guard groups == 1 || (groups == c && node.int("outChannels") == c) else { return nil }
    if s[0] == 2 && p != [0, 0, 0, 0] {
      guard let shape = graph.shape(of: node.inputs[0]), shape[2] % 2 == 0, shape[3] % 2 == 0 else { return nil }
    }
    return s[0]
  }

  /// The scheme: `k210`.
  public var scheme: QuantizationScheme { .k210 }
  /// Runs the graph and returns its outputs; `observe` receives every value as computed (a KPU
  /// layer's output dequantized from its uint8 codes, a CPU op's output in float).
  public func run(
    inputs: [String: Tensor<Float>], observe: (String, Tensor<Float>) -> Void
  ) throws -> [String: Tensor<Float>] {
    var env: [String: Tensor<Float>] = [:]
    for input in graph.inputs {
      guard let x = inputs[input.name] else {
        throw QuantizationError.badInput(graph: graph.name, input: input.name, message: "it was not supplied.")
      }
      env[input.name] = x
      observe(input.name, x)
    }
    let folded = Set(layers.values.compactMap(\.activation))
    for node in graph.nodes {
      let xs = try node.inputs.map { name -> Tensor<Float> in
        guard let x = env[name] else { throw QuantizationError.missingQuantization(graph: graph.name, tensor: name) }
        return x
      }
      let y: Tensor<Float>
      if folded.contains(node.name) {
        y = xs[0]
      } else if let layer = layers[node.name] {
        y = Self.runKPU(layer, xs[0])
      } else {
        y = node.op.semantics.evaluate(node, inputs: xs, parameters: try ValueTrace.floatParameters(graph, node))[0]
      }
      env[node.outputs[0]] = y
      observe(node.outputs[0], y)
    }
    var results: [String: Tensor<Float>] = [:]
    for output in graph.outputs { results[output.name] = env[output.name] }
    return results
  }

  /// Quantize, the KPU layer per image, the `left_top` pool for stride 2 (or the slice from
  /// ``KPULayer/origin`` of a valid-padded layer), dequantize.
  static func runKPU(_ layer: KPULayer, _ x: Tensor<Float>) -> Tensor<Float> {
    let q = layer.quantized
    let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let o = q.layer.outChannels, s = layer.stride, r = layer.origin
    let (oh, ow) = r == 0 ? (h / s, w / s) : ((h - 2 * r - 1) / s + 1, (w - 2 * r - 1) / s + 1)
    var out = [Float](repeating: 0, count: n * o * oh * ow)
    // images are independent: one chunk of images per worker, each writing its own slice
    out.withUnsafeMutableBufferPointer { ob in
      guard let base = ob.baseAddress else { return }
      let shared = SharedPointer(base)
      Parallel.forEachChunk(Parallel.chunks(n)) { _, images in
        for image in images {
          let codes = x.scalars[(image * c * h * w)..<((image + 1) * c * h * w)].map { q.input.quantize($0) }
          let y = q.layer.run(codes, height: h, width: w)
          for ch in 0..<o {
            for i in 0..<oh {
              for j in 0..<ow {
                shared.p[((image * o + ch) * oh + i) * ow + j] = q.output.dequantize(
                  y[(ch * h + r + i * s) * w + r + j * s])
              }
            }
          }
        }
      }
    }
    return Tensor(shape: [n, o, oh, ow], scalars: out)
  }
}
