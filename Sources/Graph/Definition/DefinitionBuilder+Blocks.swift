import Geometry

/// The multi-field layer types: convolutions, SqueezeNet fire modules, MobileNet depthwise
/// separable blocks, pooling, dense layers and YOLO heads.
extension DefinitionBuilder {
  mutating func conv(_ f: inout LayerFields, _ name: String, _ input: String) throws -> String {
    let scale = try f.bool("scaleWidth", default: true)
    let depthwise = try f.bool("depthwise", default: false)
    let filters = depthwise && !f.has("filters") ? channels(of: input) : try width(&f, "filters", scale: scale)
    let kernel = try f.pair("kernel", default: nil)
    let dilation = try f.pair("dilation", default: [1, 1])
    let padding: [Int]? =
      f.object["padding"]?.stringValue == "same"
      ? nil : (f.has("padding") ? try f.pair("padding", default: nil, allowZero: true) : nil)
    f.markRead("padding")
    let groups = depthwise ? channels(of: input) : try f.count("groups", default: 1)
    let batchNorm = try f.bool("batchNorm", default: false)
    return try convUnit(
      name, input, filters: filters, kernel: kernel, stride: try f.pair("stride", default: [1, 1]), padding: padding,
      dilation: dilation, groups: groups, batchNorm: batchNorm, bias: try f.bool("bias", default: !batchNorm),
      activation: try f.string("activation", default: "none", allowed: Self.activations),
      alpha: try f.double("alpha", default: 0.1, in: 0...1))
  }

  /// MobileNets' depthwise separable convolution (Howard et al. 2017, Fig. 3): a depthwise 3×3
  /// (carrying the stride) and a pointwise 1×1, each followed by BatchNorm and ReLU.
  mutating func depthwiseSeparable(_ f: inout LayerFields, _ name: String, _ input: String) throws -> String {
    let filters = try width(&f, "filters", scale: try f.bool("scaleWidth", default: true))
    let kernel = try f.pair("kernel", default: [3, 3])
    let batchNorm = try f.bool("batchNorm", default: true)
    let act = try f.string("activation", default: "relu", allowed: Self.activations)
    let c = channels(of: input)
    let dw = try convUnit(
      "\(name)_dw", input, filters: c, kernel: kernel, stride: try f.pair("stride", default: [1, 1]), groups: c,
      batchNorm: batchNorm, bias: !batchNorm, activation: act)
    return try convUnit(
      "\(name)_pw", dw, filters: filters, kernel: [1, 1], batchNorm: batchNorm, bias: !batchNorm, activation: act)
  }

  /// SqueezeNet's fire module (Iandola et al. 2016, §3.2): a 1×1 squeeze, then 1×1 and 3×3
  /// expands (padding 1) whose outputs are concatenated on channels.
  mutating func fire(_ f: inout LayerFields, _ name: String, _ input: String) throws -> String {
    let scale = try f.bool("scaleWidth", default: true)
    let squeeze = try width(&f, "squeeze", scale: scale)
    let e1: Int, e3: Int
    if f.has("expand") {
      e1 = try width(&f, "expand", scale: scale)
      e3 = e1
    } else {
      e1 = try width(&f, "expand1x1", scale: scale)
      e3 = try width(&f, "expand3x3", scale: scale)
    }
    f.markRead("expand")
    f.markRead("expand1x1")
    f.markRead("expand3x3")
    let bn = try f.bool("batchNorm", default: false)
    let act = try f.string("activation", default: "relu", allowed: Self.activations)
    let s = try convUnit(
      "\(name)_squeeze", input, filters: squeeze, kernel: [1, 1], batchNorm: bn, bias: !bn, activation: act)
    let a = try convUnit(
      "\(name)_expand1x1", s, filters: e1, kernel: [1, 1], batchNorm: bn, bias: !bn, activation: act)
    let b = try convUnit(
      "\(name)_expand3x3", s, filters: e3, kernel: [3, 3], batchNorm: bn, bias: !bn, activation: act)
    return try graph.add(.concat, name, [a, b], ["axis": .int(1)])
  }

  mutating func pool(_ f: inout LayerFields, _ name: String, _ input: String) throws -> String {
    let kernel = try f.pair("kernel", default: nil)
    let stride = try f.pair("stride", default: kernel)
    let pad = try f.pair("padding", default: [0, 0], allowZero: true)
    var attributes: [String: Attribute] = [
      "kernel": .ints(kernel), "stride": .ints(stride), "padding": .ints([pad[0], pad[1], pad[0], pad[1]]),
      "ceilMode": .bool(try f.bool("ceilMode", default: false)),
    ]
    if f.type == "avgpool" {
      attributes["countIncludePad"] = .bool(try f.bool("countIncludePad", default: true))
      return try graph.add(.avgPool, name, [input], attributes)
    }
    return try graph.add(.maxPool, name, [input], attributes)
  }

  mutating func dense(_ f: inout LayerFields, _ name: String, _ input: String) throws -> String {
    let units = try width(&f, "units", scale: try f.bool("scaleWidth", default: false))
    let y = try graph.add(
      .dense, name, [input], ["outFeatures": .int(units), "bias": .bool(try f.bool("bias", default: true))])
    return try activation(try f.string("activation", default: "none", allowed: Self.activations), name, y, alpha: 0.1)
  }

  /// A YOLO head (Redmon & Farhadi, YOLO9000 §2 and YOLOv3 §2.1): a 1×1 conv with A·(5 + C)
  /// outputs, recorded as a graph output with its anchors (scaled with the input), classes and
  /// stride.
  mutating func yolo(_ f: inout LayerFields, _ name: String, _ input: String) throws -> String {
    let anchors = try f.anchors("anchors")
    let classCount = try f.count("classes", default: classes ?? 0)
    guard classCount > 0 else { throw f.error("classes", "is required here or at the top level of the definition.") }
    let out = try graph.add(
      .conv, name, [input],
      [
        "outChannels": .int(anchors.count * (5 + classCount)), "kernel": .ints([1, 1]), "bias": .bool(true),
      ])
    let grid = graph.shape(of: out)?[2] ?? 1
    let scaled = anchors.map { Anchor(width: $0[0] * anchorScale.x, height: $0[1] * anchorScale.y) }
    graph.output(out, role: .yolo, anchors: scaled, numClasses: classCount, stride: inputHeight / max(grid, 1))
    markedOutputs += 1
    return out
  }
}
