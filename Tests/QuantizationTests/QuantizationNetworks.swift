import Graph
import GraphFixtures
import Tensors
import XCTest

@testable import Quantization

/// Graphs shared by the scheme tests.
enum QuantizationNetworks {
  /// A network using every op the int8, gap8-sq8 and gap8-pow2 executors implement natively
  /// (taps per accumulator ≤ 512), BatchNorm folded, and three calibration batches. With
  /// `convolvedConcat`, the concat's second input is a 1×1 conv of its own (c4) instead of the
  /// leaky ReLU, so `gap8-pow2` can fold the concat's alignment into both producing convs.
  static func int8Ops(name: String, convolvedConcat: Bool = false) throws -> (ModelGraph, [[String: Tensor<Float>]]) {
    var b = GraphBuilder(name: name)
    let x = b.input("image", shape: [1, 3, 12, 12])
    let c1 = try b.add(
      .conv, "c1", [x], ["outChannels": .int(8), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let bn = try b.add(.batchNorm, "bn1", [c1])
    let r1 = try b.add(.relu, "r1", [bn])
    let dw = try b.add(
      .conv, "dw", [r1],
      [
        "outChannels": .int(8), "kernel": .ints([3, 3]), "groups": .int(8), "stride": .ints([2, 2]),
        "padding": .ints([1, 1, 1, 1]),
      ])
    let r6 = try b.add(.relu6, "r6", [dw])
    let c2 = try b.add(
      .conv, "c2", [r6], ["outChannels": .int(8), "kernel": .ints([1, 1]), "groups": .int(2), "bias": .bool(false)])
    let la = try b.add(.leakyRelu, "la", [c2], ["alpha": .float(0.1)])
    let ap = try b.add(
      .avgPool, "ap", [r6], ["kernel": .ints([3, 3]), "stride": .ints([1, 1]), "padding": .ints([1, 1, 1, 1])])
    let sum = try b.add(.add, "sum", [la, ap])
    let rs = try b.add(.relu, "rs", [sum])
    let mp = try b.add(.maxPool, "mp", [rs], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let up = try b.add(.upsample, "up", [mp])
    let second =
      convolvedConcat ? try b.add(.conv, "c4", [r6], ["outChannels": .int(4), "kernel": .ints([1, 1])]) : la
    let cat = try b.add(.concat, "cat", [up, second])
    let c3 = try b.add(
      .conv, "c3", [cat],
      [
        "outChannels": .int(4), "kernel": .ints([3, 3]), "dilation": .ints([2, 2]), "padding": .ints([2, 1, 2, 3]),
      ])
    let g = try b.add(.globalAvgPool, "g", [c3])
    let fl = try b.add(.flatten, "fl", [g])
    let d = try b.add(.dense, "d", [fl], ["outFeatures": .int(5)])
    let sg = try b.add(.sigmoid, "sg", [d])
    b.output(sg)
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try b.finish()))
    XCTAssertNil(graph.node(named: "bn1"))
    return (graph, (0..<3).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(40 + $0)) })
  }
}
