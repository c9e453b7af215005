import Tensors

/// Two layers that ``CrossLayerEqualization`` can rescale against each other: the first
/// layer's output channel i reaches the second layer's input channel i through positively
/// homogeneous, per-channel ops only, each value on the way read by one node alone.
struct EqualizationPair: Equatable {
  /// Parameter keys of the first layer's weight and (optional) bias, and the second's weight.
  let firstWeight: String
  let firstBias: String?
  let secondWeight: String
  /// The second layer's groups (1 for dense).
  let secondGroups: Int

  /// Ops that may sit between the layers: f(x/s) = f(x)/s for s > 0, channel by channel.
  static let homogeneous: Set<OpKind> = [
    .relu, .leakyRelu, .identity, .dropout, .maxPool, .avgPool, .globalAvgPool, .upsample,
  ]

  /// Every pair of `graph`, in node order of the first layer.
  static func all(in graph: ModelGraph) -> [EqualizationPair] {
    var readers: [String: [Node]] = [:]
    for node in graph.nodes { for input in node.inputs { readers[input, default: []].append(node) } }
    let outputs = Set(graph.outputs.map(\.name))
    let shapes = graph.valueShapes
    func soleReader(_ value: String) -> Node? {
      guard !outputs.contains(value), let r = readers[value], r.count == 1, r[0].inputs == [value] else { return nil }
      return r[0]
    }
    var pairs: [EqualizationPair] = []
    for first in graph.nodes where first.op == .conv || first.op == .dense {
      var value = first.outputs[0]
      var next = soleReader(value)
      while let node = next, homogeneous.contains(node.op) || isChannelFlatten(node, shapes) {
        value = node.outputs[0]
        next = soleReader(value)
      }
      guard let second = next, second.op == .conv || second.op == .dense else { continue }
      let key = { (node: Node, role: String) in Parameter.key(node: node.name, role: role) }
      guard isFloat(graph, key(first, "weight")), isFloat(graph, key(second, "weight")) else { continue }
      let bias = graph.parameters[key(first, "bias")] == nil ? nil : key(first, "bias")
      if let bias, !isFloat(graph, bias) { continue }
      let pair = EqualizationPair(
        firstWeight: key(first, "weight"), firstBias: bias, secondWeight: key(second, "weight"),
        secondGroups: second.op == .conv ? second.int("groups") : 1)
      guard let w1 = graph.parameters[pair.firstWeight], let w2 = graph.parameters[pair.secondWeight],
        pair.inputChannels(w2.shape) == w1.shape[0]
      else { continue }
      pairs.append(pair)
    }
    return pairs
  }

  /// A flatten whose input is [N, C, 1, 1]: feature i is channel i.
  static func isChannelFlatten(_ node: Node, _ shapes: [String: [Int]]) -> Bool {
    guard node.op == .flatten, let shape = shapes[node.inputs[0]], shape.count == 4 else { return false }
    return shape[2] == 1 && shape[3] == 1
  }

  static func isFloat(_ graph: ModelGraph, _ key: String) -> Bool {
    graph.parameters[key]?.value != nil
  }

  /// Input channels of the second layer (its weight is [O, C/groups, …] or [O, C]).
  func inputChannels(_ shape: [Int]) -> Int { shape[1] * secondGroups }

  /// max|W| of each output channel (row) of the first layer's weight.
  func outputRanges(_ w: Tensor<Float>) -> [Float] {
    let rows = w.shape[0], per = w.count / rows
    return (0..<rows).map { o in
      var m: Float = 0
      for i in 0..<per { m = max(m, abs(w.scalars[o * per + i])) }
      return m
    }
  }

  /// Calls `body(flat index, input channel)` for every element of the second layer's weight.
  func forEachInputChannel(_ shape: [Int], _ body: (Int, Int) -> Void) {
    let rows = shape[0], perGroupIn = shape[1], taps = shape.dropFirst(2).reduce(1, *)
    let rowsPerGroup = rows / secondGroups
    for o in 0..<rows {
      let group = o / rowsPerGroup
      for c in 0..<perGroupIn {
        let channel = group * perGroupIn + c
        for t in 0..<taps { body((o * perGroupIn + c) * taps + t, channel) }
      }
    }
  }

  /// max|W| over each input channel of the second layer's weight.
  func inputRanges(_ w: Tensor<Float>) -> [Float] {
    var m = [Float](repeating: 0, count: inputChannels(w.shape))
    forEachInputChannel(w.shape) { i, c in m[c] = max(m[c], abs(w.scalars[i])) }
    return m
  }

  /// The first layer's weight with output channel i multiplied by `factors[i]`.
  func scalingOutputs(_ w: Tensor<Float>, by factors: [Float]) -> Tensor<Float> {
    let per = w.count / w.shape[0]
    return Tensor(shape: w.shape, scalars: w.scalars.enumerated().map { $1 * factors[$0 / per] })
  }

  /// The second layer's weight with input channel i multiplied by `factors[i]`.
  func scalingInputs(_ w: Tensor<Float>, by factors: [Float]) -> Tensor<Float> {
    var scalars = w.scalars
    forEachInputChannel(w.shape) { i, c in scalars[i] *= factors[c] }
    return Tensor(shape: w.shape, scalars: scalars)
  }
}
