import Graph
import Tensors

/// Graphs and helpers for the channel-pruning tests (Graph and Compression).
extension Fixtures {
  /// A residual block: c1 → bn1 → r1; c2(r1) → bn2; add(bn2, r1) → r2 → head (1×1, 2 channels,
  /// the graph output). The Add ties c1's and c2's channels into one group.
  public static func residual() throws -> ModelGraph {
    var b = GraphBuilder(name: "residual")
    let x = b.input("image", shape: [1, 3, 8, 8])
    let pad: [String: Attribute] = ["kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1]), "bias": .bool(false)]
    let c1 = try b.add(.conv, "c1", [x], pad.merging(["outChannels": .int(4)]) { a, _ in a })
    let r1 = try b.add(.relu, "r1", [try b.add(.batchNorm, "bn1", [c1])])
    let c2 = try b.add(.conv, "c2", [r1], pad.merging(["outChannels": .int(4)]) { a, _ in a })
    let sum = try b.add(.add, "sum", [try b.add(.batchNorm, "bn2", [c2]), r1])
    let r2 = try b.add(.relu, "r2", [sum])
    b.output(try b.add(.conv, "head", [r2], ["outChannels": .int(2), "kernel": .ints([1, 1])]))
    return try b.finish()
  }

  /// Two convolutions (3 and 2 channels, with bias, ReLU) concatenated, max-pooled to 2×2,
  /// flattened (20 features) and read by a dense layer with 4 outputs (the graph output).
  public static func concatFlattenDense() throws -> ModelGraph {
    var b = GraphBuilder(name: "concat-flatten-dense")
    let x = b.input("image", shape: [1, 2, 4, 4])
    let a = try b.add(
      .conv, "a", [x], ["outChannels": .int(3), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let bb = try b.add(.conv, "b", [x], ["outChannels": .int(2), "kernel": .ints([1, 1])])
    let cat = try b.add(.concat, "cat", [try b.add(.relu, "ra", [a]), try b.add(.relu, "rb", [bb])])
    let mp = try b.add(.maxPool, "mp", [cat], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let fl = try b.add(.flatten, "fl", [mp])
    b.output(try b.add(.dense, "d", [fl], ["outFeatures": .int(4)]), role: .logits)
    return try b.finish()
  }

  /// `graph` with channels `channels` of `group` made exactly zero wherever they appear: the
  /// producers' filters and biases, the depthwise followers' filters and biases, and the
  /// BatchNorm followers' γ and β are set to 0 at those channels (a BatchNorm with γ = β = 0
  /// outputs 0; ReLU, leaky ReLU, pools, upsampling, Concat and Add keep 0).
  public static func zeroing(_ graph: ModelGraph, _ group: ChannelGroup, _ channels: [Int]) -> ModelGraph {
    var g = graph
    for slice in group.slices where slice.role != .consumer {
      for role in ["weight", "bias"] {
        let key = "\(slice.node).\(role)"
        guard let t = g.parameters[key]?.value else { continue }
        let rowLength = t.count / t.shape[0]
        var s = t.scalars
        for j in channels {
          for row in slice.indices[j] { for i in 0..<rowLength { s[row * rowLength + i] = 0 } }
        }
        g.parameters[key]?.value = Tensor(shape: t.shape, scalars: s)
      }
    }
    return g
  }
}
