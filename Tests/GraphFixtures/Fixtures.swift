import Foundation
import Graph
import Tensors

/// Small graphs shared by the Graph, GraphTraining and GraphHDF5 tests (a library target of
/// its own, since test targets cannot import each other).
public enum Fixtures {
  /// A graph that uses every op kind once or more, on an 8×8 RGB input.
  public static func everyOp() throws -> ModelGraph {
    var b = GraphBuilder(name: "every-op")
    let x = b.input("image", shape: [1, 3, 8, 8])
    let c1 = try b.add(
      .conv, "c1", [x], ["outChannels": .int(4), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let bn1 = try b.add(.batchNorm, "bn1", [c1])
    let r1 = try b.add(.relu, "r1", [bn1])
    let dw = try b.add(
      .conv, "dw", [r1],
      [
        "outChannels": .int(4), "kernel": .ints([3, 3]), "groups": .int(4), "dilation": .ints([2, 2]),
        "padding": .ints([2, 2, 2, 2]),
      ])
    let r6 = try b.add(.relu6, "r6", [dw])
    let mp = try b.add(.maxPool, "mp", [r6], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let a = try b.add(.conv, "a", [mp], ["outChannels": .int(6), "kernel": .ints([1, 1]), "bias": .bool(false)])
    let la = try b.add(.leakyRelu, "la", [a], ["alpha": .float(0.2)])
    let ap = try b.add(
      .avgPool, "ap", [mp], ["kernel": .ints([3, 3]), "stride": .ints([1, 1]), "padding": .ints([1, 1, 1, 1])])
    let sg = try b.add(.sigmoid, "sg", [ap])
    let cat = try b.add(.concat, "cat", [la, sg])
    let up = try b.add(.upsample, "up", [cat])
    let th = try b.add(.tanh, "th", [up])
    let c2 = try b.add(.conv, "c2", [r1], ["outChannels": .int(10), "kernel": .ints([1, 1])])
    let sum = try b.add(.add, "sum", [th, c2])
    let g = try b.add(.globalAvgPool, "g", [sum])
    let fl = try b.add(.flatten, "fl", [g])
    let dr = try b.add(.dropout, "dr", [fl], ["rate": .float(0.25)])
    let d = try b.add(.dense, "d", [dr], ["outFeatures": .int(6)])
    let rs = try b.add(.reshape, "rs", [d], ["shape": .ints([3, 2])])
    let l2 = try b.add(.l2Normalize, "l2", [rs])
    let out = try b.add(.identity, "out", [l2])
    b.output(out, role: .descriptor)
    return try b.finish()
  }

  /// `graph` with every parameter filled from `seed` (BatchNorm statistics made non-trivial).
  public static func withValues(_ graph: ModelGraph, seed: UInt64 = 7) -> ModelGraph {
    var g = graph
    var rng = RandomStream(seed: seed)
    for key in g.parameters.keys.sorted() {
      guard let p = g.parameters[key] else { continue }
      if key.hasSuffix("running_var") {
        g.parameters[key]?.value = Tensor.uniform(p.shape, low: 0.5, high: 2, rng: &rng)
      } else {
        g.parameters[key]?.value = Tensor.uniform(p.shape, low: -0.5, high: 0.5, rng: &rng)
      }
    }
    return g
  }

  /// A random input batch for `graph`'s first input.
  public static func input(for graph: ModelGraph, batch: Int = 2, seed: UInt64 = 3) -> [String: Tensor<Float>] {
    var rng = RandomStream(seed: seed)
    let info = graph.inputs[0]
    return [info.name: Tensor.uniform([batch] + info.shape.dropFirst(), low: -1, high: 1, rng: &rng)]
  }

  /// Asserts two tensors have the same shape and agree within `tolerance`.
  public static func maxDifference(_ a: Tensor<Float>, _ b: Tensor<Float>) -> Float {
    guard a.shape == b.shape else { return .infinity }
    return zip(a.scalars, b.scalars).map { abs($0 - $1) }.max() ?? 0
  }

  /// A fresh temporary directory.
  public static func temporaryDirectory() throws -> String {
    let path = NSTemporaryDirectory() + "graphtests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
  }
}
