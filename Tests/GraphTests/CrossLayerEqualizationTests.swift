import Graph
import GraphFixtures
import Tensors
import XCTest

/// CrossLayerEqualization: the paper's scales on a hand-built pair, the float function kept
/// (hand-built graphs and the mobilenet-tiny zoo model), ranges equalised, and the pairs that
/// must be left alone (ReLU6 between the layers, a value with two readers).
final class CrossLayerEqualizationTests: XCTestCase {
  /// conv a (2 → 3 channels, 3×3) → ReLU → conv b (3 → 2, 1×1). The rows of a have
  /// max|W| r1 = [4, 0.01, 1] and the input columns of b r2 = [1, 4, 0.25], so
  /// s = √(r1·r2)/r2 = √(r1/r2) = [2, 0.05, 2] and both ranges become √(r1·r2) = [2, 0.2, 0.5]:
  /// the spread of a's channel ranges drops from 400 to 10.
  func testHandBuiltPairGetsThePapersScalesAndKeepsTheFunction() throws {
    let graph = try pair(between: .relu)
    let equalized = try CrossLayerEqualization.equalize(graph, sweeps: 1)
    let a = try XCTUnwrap(equalized.parameters["a.weight"]?.value)
    let b = try XCTUnwrap(equalized.parameters["b.weight"]?.value)
    let a0 = try XCTUnwrap(graph.parameters["a.weight"]?.value)
    let b0 = try XCTUnwrap(graph.parameters["b.weight"]?.value)
    // channel 1 by hand: a's row 1 divided by s = 0.05, b's column 1 multiplied by it
    for i in 0..<18 { XCTAssertEqual(a.scalars[18 + i], a0.scalars[18 + i] / 0.05, accuracy: 1e-5) }
    XCTAssertEqual(b.scalars[1], b0.scalars[1] * 0.05, accuracy: 1e-6)
    XCTAssertEqual(b.scalars[4], b0.scalars[4] * 0.05, accuracy: 1e-6)
    let biasA = try XCTUnwrap(equalized.parameters["a.bias"]?.value).scalars
    XCTAssertEqual(biasA[0], 0.5 / 2, accuracy: 1e-7)
    XCTAssertEqual(biasA[1], -0.01 / 0.05, accuracy: 1e-6)
    XCTAssertEqual(biasA[2], 0.25 / 2, accuracy: 1e-7)
    let r1 = rowRanges(a), r2 = columnRanges(b, rows: 2, columns: 3)
    for (x, y) in zip(r1, [2, 0.2, 0.5] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-5) }
    for (x, y) in zip(r2, [2, 0.2, 0.5] as [Float]) { XCTAssertEqual(x, y, accuracy: 1e-5) }
    XCTAssertEqual(spread(rowRanges(a0)), 400, accuracy: 1e-3)
    XCTAssertEqual(spread(r1), 10, accuracy: 1e-3)
    try assertSameFunction(graph, equalized)
  }

  /// Leaky ReLU (negative slope) and identity are positively homogeneous too.
  func testLeakyReLUAndIdentityPairsAreEqualized() throws {
    for op in [OpKind.leakyRelu, .identity] {
      let graph = try pair(between: op)
      let equalized = try CrossLayerEqualization.equalize(graph, sweeps: 1)
      XCTAssertNotEqual(equalized.parameters["a.weight"], graph.parameters["a.weight"], op.rawValue)
      try assertSameFunction(graph, equalized)
    }
  }

  /// ReLU6 clips at 6, so min(x/s, 6) ≠ min(x, 6)/s: the pair is not touched; nor is one whose
  /// intermediate value is also read by another node.
  func testReLU6AndSharedValuesAreLeftAlone() throws {
    let relu6 = try pair(between: .relu6)
    XCTAssertEqual(try CrossLayerEqualization.run(relu6), relu6)
    var b = GraphBuilder(name: "shared")
    let x = b.input("x", shape: [1, 2, 4, 4])
    let a = try b.add(.conv, "a", [x], ["outChannels": .int(3), "kernel": .ints([1, 1])])
    let r = try b.add(.relu, "r", [a])
    let c = try b.add(.conv, "c", [r], ["outChannels": .int(3), "kernel": .ints([1, 1])])
    b.output(try b.add(.add, "sum", [c, r]))
    let shared = Fixtures.withValues(try b.finish())
    XCTAssertEqual(try CrossLayerEqualization.run(shared), shared)
  }

  /// Depthwise separable blocks: conv → ReLU → depthwise (stride 2) → ReLU → 1×1 conv →
  /// ReLU → global average pool → flatten → dense. Every pair (including the depthwise one on
  /// either side and the pool–flatten–dense tail) is equalised: after enough sweeps each
  /// layer's output range equals the next layer's input range, channel by channel.
  func testDepthwisePairsConvergeToEqualRanges() throws {
    var b = GraphBuilder(name: "dwsep")
    let x = b.input("x", shape: [1, 3, 8, 8])
    let c1 = try b.add(
      .conv, "c1", [x], ["outChannels": .int(6), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let r1 = try b.add(.relu, "r1", [c1])
    let dw = try b.add(
      .conv, "dw", [r1],
      [
        "outChannels": .int(6), "kernel": .ints([3, 3]), "groups": .int(6), "stride": .ints([2, 2]),
        "padding": .ints([1, 1, 1, 1]),
      ])
    let r2 = try b.add(.relu, "r2", [dw])
    let pw = try b.add(.conv, "pw", [r2], ["outChannels": .int(5), "kernel": .ints([1, 1])])
    let r3 = try b.add(.relu, "r3", [pw])
    let g = try b.add(.globalAvgPool, "g", [r3])
    let fl = try b.add(.flatten, "fl", [g])
    b.output(try b.add(.dense, "d", [fl], ["outFeatures": .int(4)]))
    var graph = Fixtures.withValues(try b.finish(), seed: 3)
    // very different channel ranges in the depthwise layer, as after BatchNorm folding
    if var w = graph.parameters["dw.weight"]?.value {
      for i in 0..<w.count { w.scalars[i] *= [0.01, 1, 30, 0.2, 5, 0.05][i / 9] }
      graph.parameters["dw.weight"]?.value = w
    }
    let equalized = try CrossLayerEqualization.equalize(graph, sweeps: 60)
    try assertSameFunction(graph, equalized)
    let w = { (key: String) throws -> Tensor<Float> in try XCTUnwrap(equalized.parameters[key]?.value) }
    let dwW = try w("dw.weight")
    let checks: [([Float], [Float])] = [
      (rowRanges(try w("c1.weight")), rowRanges(dwW)),
      (rowRanges(dwW), columnRanges(try w("pw.weight"), rows: 5, columns: 6)),
      (rowRanges(try w("pw.weight")), columnRanges(try w("d.weight"), rows: 4, columns: 5)),
    ]
    for (out, into) in checks {
      for (u, v) in zip(out, into) { XCTAssertEqual(u / v, 1, accuracy: 1e-3) }
    }
    let before = spread(rowRanges(try XCTUnwrap(graph.parameters["dw.weight"]?.value)))
    XCTAssertGreaterThan(before, 1000)
    XCTAssertLessThan(spread(rowRanges(dwW)), before / 10)
  }

  /// The zoo's mobilenet-tiny (random weights, BatchNorm folded): its thirteen pairs change all 14 conv and dense weights, and the
  /// logits stay equal within 1e-5 of their largest magnitude.
  func testMobileNetTinyKeepsItsFunction() throws {
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try ModelZoo.graph("mobilenet-tiny"), seed: 5))
    let equalized = try CrossLayerEqualization.run(graph)
    let changed = graph.parameters.keys.filter { key in
      key.hasSuffix(".weight") && equalized.parameters[key] != graph.parameters[key]
    }
    XCTAssertEqual(changed.count, 14, "\(changed.sorted())")
    try assertSameFunction(graph, equalized)
  }

  // MARK: - helpers

  /// a: conv 2 → 3 (3×3, padding 1) with row ranges [4, 0.01, 1] and bias [0.5, −0.01, 0.25];
  /// `op`; b: conv 3 → 2 (1×1) with column ranges [1, 4, 0.25].
  private func pair(between op: OpKind) throws -> ModelGraph {
    var b = GraphBuilder(name: "pair")
    let x = b.input("x", shape: [1, 2, 5, 5])
    let a = try b.add(
      .conv, "a", [x], ["outChannels": .int(3), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let attributes: [String: Attribute] = op == .leakyRelu ? ["alpha": .float(0.1)] : [:]
    let f = try b.add(op, "f", [a], attributes)
    b.output(try b.add(.conv, "b", [f], ["outChannels": .int(2), "kernel": .ints([1, 1])]))
    var graph = Fixtures.withValues(try b.finish(), seed: 9)
    var rng = RandomStream(seed: 4)
    var wa = Tensor<Float>.uniform([3, 2, 3, 3], low: -1, high: 1, rng: &rng)
    for (o, r) in [Float(4), 0.01, 1].enumerated() {
      let row = (0..<18).map { wa.scalars[o * 18 + $0] }
      let m = row.map(abs).max() ?? 1
      for i in 0..<18 { wa.scalars[o * 18 + i] = row[i] / m * r }
    }
    graph.parameters["a.weight"]?.value = wa
    graph.parameters["a.bias"]?.value = Tensor(shape: [3], scalars: [0.5, -0.01, 0.25])
    graph.parameters["b.weight"]?.value = Tensor(shape: [2, 3, 1, 1], scalars: [1, -4, 0.1, -0.5, 2, -0.25])
    return graph
  }

  private func rowRanges(_ w: Tensor<Float>) -> [Float] {
    let per = w.count / w.shape[0]
    return (0..<w.shape[0]).map { o in (0..<per).map { abs(w.scalars[o * per + $0]) }.max() ?? 0 }
  }

  /// Column ranges of a [rows, columns(, 1, 1)] weight.
  private func columnRanges(_ w: Tensor<Float>, rows: Int, columns: Int) -> [Float] {
    (0..<columns).map { c in (0..<rows).map { abs(w.scalars[$0 * columns + c]) }.max() ?? 0 }
  }

  private func spread(_ r: [Float]) -> Float { (r.max() ?? 0) / (r.min() ?? 1) }

  private func assertSameFunction(
    _ a: ModelGraph, _ b: ModelGraph, file: StaticString = #filePath, line: UInt = #line
  ) throws {
    for seed in [1, 2] as [UInt64] {
      let feeds = Fixtures.input(for: a, batch: 3, seed: seed)
      let x = try a.evaluate(inputs: feeds), y = try b.evaluate(inputs: feeds)
      for output in a.outputs {
        let (u, v) = (try XCTUnwrap(x[output.name]), try XCTUnwrap(y[output.name]))
        let scale = u.scalars.map(abs).max() ?? 1
        XCTAssertLessThanOrEqual(
          Fixtures.maxDifference(u, v), 1e-5 * scale, "\(a.name) \(output.name)", file: file, line: line)
      }
    }
  }
}
