/// The layer types of the JSON definition format and the nodes each one emits.
///
/// | type | fields (defaults) | nodes |
/// |---|---|---|
/// | `conv` | `filters`, `kernel`, `stride` (1), `padding` ("same": dilation·(k−1)/2), `dilation` (1), `groups` (1), `depthwise` (false), `batchNorm` (false), `bias` (!batchNorm), `activation` ("none"), `alpha` (0.1), `scaleWidth` (true) | Conv [+ BatchNorm] [+ activation] |
/// | `dwsep` | `filters`, `stride` (1), `kernel` (3), `batchNorm` (true), `activation` ("relu"), `scaleWidth` (true) | depthwise conv unit + pointwise conv unit (MobileNets, Howard et al. 2017) |
/// | `fire` | `squeeze`, `expand` or `expand1x1` + `expand3x3`, `batchNorm` (false), `activation` ("relu") | squeeze 1×1, expand 1×1 and 3×3, Concat (SqueezeNet, Iandola et al. 2016) |
/// | `maxpool`, `avgpool` | `kernel`, `stride` (kernel), `padding` (0), `ceilMode` (false), `countIncludePad` (avg, true) | MaxPool / AvgPool |
/// | `gap`, `flatten`, `identity` | — | GlobalAvgPool / Flatten / Identity |
/// | `reshape` | `shape` (per sample) | Reshape |
/// | `dense` | `units`, `bias` (true), `activation` ("none"), `scaleWidth` (false) | Dense [+ activation] |
/// | `dropout` | `rate` (0.5) | Dropout |
/// | `upsample` | `factor` (2) | Upsample |
/// | `concat` | `from` (list), `axis` (1) | Concat |
/// | `add` | `from` (two layers) | Add |
/// | `l2norm` | `epsilon` (1e-10) | L2Normalize |
/// | `relu`, `relu6`, `leaky` (`alpha`), `sigmoid`, `tanh`, `batchnorm` (`epsilon`, `momentum`) | | the op |
/// | `yolo` | `anchors` ([[w, h], …] in input pixels), `classes` (top-level) | 1×1 Conv with A·(5 + C) outputs, marked as a YOLO output (Redmon & Farhadi) |
///
/// Every layer also accepts `name`, `from` (see ``ModelDefinition``) and `output` (true,
/// "logits", "descriptor" or "tensor"). Counts may be written `"classes"`.
extension DefinitionBuilder {
  static let activations = ["none", "relu", "relu6", "leaky", "sigmoid", "tanh"]

  mutating func buildLayer(_ f: inout LayerFields, name: String, inputs: [String]) throws -> String {
    let oneInputError = f.error("from", "a '\(f.type)' layer reads one input, got \(inputs.count).")
    func single() throws -> String {
      guard inputs.count == 1 else { throw oneInputError }
      return inputs[0]
    }
    switch f.type {
    case "conv": return try conv(&f, name, try single())
    case "dwsep": return try depthwiseSeparable(&f, name, try single())
    case "fire": return try fire(&f, name, try single())
    case "maxpool", "avgpool": return try pool(&f, name, try single())
    case "gap": return try graph.add(.globalAvgPool, name, [try single()])
    case "flatten": return try graph.add(.flatten, name, [try single()])
    case "identity": return try graph.add(.identity, name, [try single()])
    case "reshape": return try graph.add(.reshape, name, [try single()], ["shape": .ints(try f.ints("shape"))])
    case "dense": return try dense(&f, name, try single())
    case "dropout":
      return try graph.add(
        .dropout, name, [try single()], ["rate": .float(try f.double("rate", default: 0.5, in: 0...0.99))])
    case "upsample":
      return try graph.add(.upsample, name, [try single()], ["factor": .int(try f.count("factor", default: 2))])
    case "concat":
      guard inputs.count >= 2 else { throw f.error("from", "a concat layer needs a list of at least two layers.") }
      return try graph.add(.concat, name, inputs, ["axis": .int(try f.count("axis", default: 1))])
    case "add":
      guard inputs.count == 2 else { throw f.error("from", "an add layer needs a list of exactly two layers.") }
      return try graph.add(.add, name, inputs)
    case "l2norm":
      return try graph.add(
        .l2Normalize, name, [try single()], ["epsilon": .float(try f.double("epsilon", default: 1e-10, in: 0...1))])
    case "relu", "relu6", "leaky", "sigmoid", "tanh":
      let alpha = f.type == "leaky" ? try f.double("alpha", default: 0.1, in: 0...1) : 0.1
      return try activation(f.type, name, try single(), alpha: alpha, suffix: false)
    case "batchnorm":
      return try graph.add(
        .batchNorm, name, [try single()],
        [
          "epsilon": .float(try f.double("epsilon", default: 1e-5, in: 1e-12...1)),
          "momentum": .float(try f.double("momentum", default: 0.1, in: 0...1)),
        ])
    case "yolo": return try yolo(&f, name, try single())
    default:
      throw f.error(
        "type",
        "'\(f.type)' is not a layer type (conv, dwsep, fire, maxpool, avgpool, gap, flatten, reshape, dense, dropout, upsample, concat, add, l2norm, relu, relu6, leaky, sigmoid, tanh, batchnorm, identity, yolo, repeat)."
      )
    }
  }

  /// Emits an activation node; with `suffix` it is named `<name>_<kind>`.
  mutating func activation(_ kind: String, _ name: String, _ input: String, alpha: Double, suffix: Bool = true) throws
    -> String
  {
    let node = suffix ? "\(name)_\(kind)" : name
    switch kind {
    case "relu": return try graph.add(.relu, node, [input])
    case "relu6": return try graph.add(.relu6, node, [input])
    case "leaky": return try graph.add(.leakyRelu, node, [input], ["alpha": .float(alpha)])
    case "sigmoid": return try graph.add(.sigmoid, node, [input])
    case "tanh": return try graph.add(.tanh, node, [input])
    default: return input
    }
  }

  /// Conv [+ BatchNorm] [+ activation], the unit most layers are made of.
  mutating func convUnit(
    _ name: String, _ input: String, filters: Int, kernel: [Int], stride: [Int] = [1, 1], padding: [Int]? = nil,
    dilation: [Int] = [1, 1], groups: Int = 1, batchNorm: Bool, bias: Bool, activation kind: String, alpha: Double = 0.1
  ) throws -> String {
    let pad = padding ?? [dilation[0] * (kernel[0] - 1) / 2, dilation[1] * (kernel[1] - 1) / 2]
    var out = try graph.add(
      .conv, name, [input],
      [
        "outChannels": .int(filters), "kernel": .ints(kernel), "stride": .ints(stride),
        "padding": .ints([pad[0], pad[1], pad[0], pad[1]]), "dilation": .ints(dilation),
        "groups": .int(groups), "bias": .bool(bias),
      ])
    if batchNorm { out = try graph.add(.batchNorm, "\(name)_bn", [out]) }
    return try activation(kind, name, out, alpha: alpha)
  }

  func channels(of value: String) -> Int { graph.shape(of: value)?[1] ?? 0 }

  /// A channel count read from `field`, scaled by the width multiplier unless the layer says
  /// `"scaleWidth": false` or the count is written `"classes"`.
  mutating func width(_ f: inout LayerFields, _ field: String, scale: Bool) throws -> Int {
    let raw = try f.count(field)
    if f.object[field]?.stringValue == "classes" || !scale { return raw }
    return options.scaledChannels(raw, multiple: definition.channelMultiple)
  }
}
