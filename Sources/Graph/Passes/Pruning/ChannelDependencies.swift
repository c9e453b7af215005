/// Finds the ``ChannelGroup``s of a graph: which channels must be pruned together and which
/// may not be pruned at all.
///
/// Every channel of every value (axis 1 of NCHW or NC values) is an element of a union–find
/// structure; each op joins the elements it ties:
///
/// | op | ties |
/// |---|---|
/// | Conv (groups = 1), Dense | nothing: the output channels are new (the node *produces* them), the input channels are *consumed* (weight columns) |
/// | depthwise Conv (groups = in = out channels) | input channel c with output channel c |
/// | other grouped Conv | nothing, but its input and output channels are fixed (groups mix channels in blocks) |
/// | BatchNorm, ReLU, ReLU6, LeakyReLU, Sigmoid, Tanh, MaxPool, AvgPool, GlobalAvgPool, Upsample, Dropout, Identity | input channel c with output channel c |
/// | Add | both inputs' channel c with output channel c |
/// | Concat (axis 1) | input k's channel c with output channel offsetₖ + c; on another axis, every input's c with output c |
/// | Flatten | input channel c with output features c·S ..< (c+1)·S, S the product of the spatial extents |
/// | Reshape, L2Normalize | nothing, and their input and output channels are fixed (they mix channels) |
///
/// A class of tied elements is one prunable *unit*; units that run through the same values form
/// one group. A group is fixed (``ChannelGroup/fixedReason``) when it touches a graph input, a
/// graph output, or a fixed op, or when no conv or dense layer produces it. In particular the
/// **output layers keep their channels**: a conv or dense layer whose output channels reach a
/// graph output through channel-preserving ops only (the table's followers, Add, Concat,
/// Flatten) is part of the model's interface — a YOLO head's A·(5 + C) maps, a descriptor's
/// dimensions, a classifier's logits — and its group is fixed. Its *input* channels stay
/// prunable: they belong to the previous layer's group.
public enum ChannelDependencies {
  /// The channel groups of `graph`, fixed ones included, in the order of their earliest value.
  /// - Throws: ``GraphValidationError`` when the graph is invalid.
  public static func analyze(_ graph: ModelGraph) throws -> [ChannelGroup] {
    try graph.validate()
    var elements = ChannelElements(graph)
    for node in graph.nodes { tie(node, in: &elements) }
    for input in graph.inputs { elements.fix(input.name, "it carries the graph input '\(input.name)'") }
    for output in graph.outputs {
      elements.fix(output.name, "it reaches the graph output '\(output.name)' (an output layer keeps its channels)")
    }
    var assembly = ChannelGroupAssembly(graph: graph, elements: elements)
    return assembly.groups()
  }

  /// Joins the elements `node` ties (see the table above).
  private static func tie(_ node: Node, in e: inout ChannelElements) {
    let inputs = node.inputs, out = node.outputs[0]
    switch node.op {
    case .conv:
      let groups = node.int("groups"), inC = e.channels(inputs[0]), outC = e.channels(out)
      if groups == 1 { return }
      if groups == inC && outC == inC {
        e.unionChannels(inputs[0], out)
      } else {
        let reason = "the grouped convolution '\(node.name)' (groups = \(groups)) mixes channels in blocks"
        e.fix(inputs[0], reason)
        e.fix(out, reason)
      }
    case .dense:
      return
    case .batchNorm, .relu, .relu6, .leakyRelu, .sigmoid, .tanh, .maxPool, .avgPool, .globalAvgPool, .upsample,
      .dropout, .identity:
      e.unionChannels(inputs[0], out)
    case .add:
      for input in inputs { e.unionChannels(input, out) }
    case .concat:
      guard node.int("axis") == 1 else {
        for input in inputs { e.unionChannels(input, out) }
        return
      }
      var offset = 0
      for input in inputs {
        let c = e.channels(input)
        for i in 0..<c { e.union(input, i, out, offset + i) }
        offset += c
      }
    case .flatten:
      let spatial = e.spatialSize(inputs[0])
      for c in 0..<e.channels(inputs[0]) {
        for s in 0..<spatial { e.union(inputs[0], c, out, c * spatial + s) }
      }
    case .reshape, .l2Normalize:
      let reason = "the \(node.op.rawValue) '\(node.name)' mixes channels"
      e.fix(inputs[0], reason)
      e.fix(out, reason)
    }
  }
}

/// The union–find over every (value, channel) element of a graph, with fixed elements.
struct ChannelElements {
  /// First element of each value, its channel count and spatial size.
  private(set) var base: [String: Int] = [:]
  private var shapes: [String: [Int]] = [:]
  /// The value names in graph order and, per element, its value's position in that list and its
  /// channel.
  private(set) var valueNames: [String] = []
  private(set) var valueOf: [Int] = []
  private(set) var channelOf: [Int] = []
  private var parent: [Int] = []
  /// Why an element is fixed.
  private(set) var fixed: [Int: String] = [:]

  init(_ graph: ModelGraph) {
    for value in graph.values where value.shape.count >= 2 {
      base[value.name] = parent.count
      shapes[value.name] = value.shape
      for c in 0..<value.shape[1] {
        valueOf.append(valueNames.count)
        channelOf.append(c)
        parent.append(parent.count)
      }
      valueNames.append(value.name)
    }
  }

  func channels(_ value: String) -> Int { shapes[value].map { $0[1] } ?? 0 }
  func spatialSize(_ value: String) -> Int { shapes[value].map { $0.dropFirst(2).reduce(1, *) } ?? 1 }
  func element(_ value: String, _ channel: Int) -> Int? { base[value].map { $0 + channel } }
  var count: Int { parent.count }

  mutating func find(_ x: Int) -> Int {
    var root = x
    while parent[root] != root { root = parent[root] }
    var y = x
    while parent[y] != root { (parent[y], y) = (root, parent[y]) }
    return root
  }

  mutating func union(_ a: String, _ i: Int, _ b: String, _ j: Int) {
    guard let x = element(a, i), let y = element(b, j) else { return }
    let (rx, ry) = (find(x), find(y))
    if rx != ry { parent[max(rx, ry)] = min(rx, ry) }
  }

  mutating func unionChannels(_ a: String, _ b: String) {
    for c in 0..<min(channels(a), channels(b)) { union(a, c, b, c) }
  }

  mutating func fix(_ value: String, _ reason: String) {
    guard let start = base[value] else { return }
    for e in start..<(start + channels(value)) where fixed[e] == nil { fixed[e] = reason }
  }
}
