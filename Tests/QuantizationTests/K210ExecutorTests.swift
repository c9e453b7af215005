import Graph
import GraphFixtures
import Quantization
import Tensors
import XCTest

/// The k210 scheme wired into a graph executor: which convs become KPU layers, and the result
/// against float.
final class K210ExecutorTests: XCTestCase {
  func testKPULayersFoldActivationsAndTrackFloat() throws {
    var b = GraphBuilder(name: "kpu")
    let x = b.input("image", shape: [1, 3, 16, 16])
    let c1 = try b.add(
      .conv, "c1", [x], ["outChannels": .int(8), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let bn = try b.add(.batchNorm, "bn1", [c1])
    let l1 = try b.add(.leakyRelu, "l1", [bn], ["alpha": .float(0.1)])
    let c2 = try b.add(
      .conv, "c2", [l1],
      [
        "outChannels": .int(8), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1]), "stride": .ints([2, 2]),
        "groups": .int(8),
      ])
    let r2 = try b.add(.relu, "r2", [c2])
    let mp = try b.add(.maxPool, "mp", [r2], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    let c3 = try b.add(.conv, "c3", [mp], ["outChannels": .int(4), "kernel": .ints([1, 1])])
    let c4 = try b.add(.conv, "c4", [c3], ["outChannels": .int(4), "kernel": .ints([2, 2])])  // not a KPU filter
    b.output(c4)
    let graph = try FoldBatchNorm.run(Fixtures.withValues(try b.finish(), seed: 4))
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(60 + $0)) }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let executor = try K210Executor(graph, ranges: ranges)
    XCTAssertEqual(Set(executor.layers.keys), ["c1", "c2", "c3"])
    XCTAssertEqual(executor.layers["c1"]?.activation, "l1")
    XCTAssertEqual(executor.layers["c2"]?.activation, "r2")
    XCTAssertEqual(executor.layers["c2"]?.stride, 2)
    XCTAssertEqual(executor.layers["c2"]?.quantized.layer.depthwise, true)
    XCTAssertNil(executor.layers["c3"]?.activation)
    let y = try XCTUnwrap(executor.run(inputs: batches[0])["c4"]).scalars
    let f = try XCTUnwrap(graph.evaluate(inputs: batches[0])["c4"]).scalars
    var xx = 0.0, ee = 0.0
    for (a, b) in zip(f, y) {
      xx += Double(a) * Double(a)
      ee += Double(a - b) * Double(a - b)
    }
    XCTAssertGreaterThan(10 * log10(xx / ee), 20)
  }

  /// A 3×3 convolution without padding (stride 1 and 2, odd sizes) runs on the KPU as the
  /// same-padded layer sliced from (1, 1): its output has the valid size and tracks float.
  func testValidPaddingRunsOnTheKPUSlicedFromOneOne() throws {
    var b = GraphBuilder(name: "valid")
    let x = b.input("image", shape: [1, 3, 11, 11])
    let valid = ["kernel": Attribute.ints([3, 3]), "padding": .ints([0, 0, 0, 0])]
    let c1 = try b.add(.conv, "c1", [x], valid.merging(["outChannels": .int(8), "stride": .ints([2, 2])]) { $1 })
    let c2 = try b.add(.conv, "c2", [try b.add(.relu, "r1", [c1])], valid.merging(["outChannels": .int(4)]) { $1 })
    b.output(c2)
    let graph = Fixtures.withValues(try b.finish(), seed: 8)
    let batches = (0..<2).map { Fixtures.input(for: graph, batch: 2, seed: UInt64(70 + $0)) }
    let ranges = try Calibrator.ranges(try Calibrator.collect(graph, batches: batches), settings: CalibrationSettings())
    let executor = try K210Executor(graph, ranges: ranges)
    XCTAssertEqual(executor.layers["c1"]?.origin, 1)
    XCTAssertEqual(executor.layers["c1"]?.stride, 2)
    XCTAssertEqual(executor.layers["c2"]?.origin, 1)
    let y = try XCTUnwrap(executor.run(inputs: batches[0])["c2"])
    let f = try XCTUnwrap(graph.evaluate(inputs: batches[0])["c2"])
    // 11 → (11 − 3)/2 + 1 = 5 → 3
    XCTAssertEqual(y.shape, [2, 4, 3, 3])
    XCTAssertEqual(y.shape, f.shape)
    var xx = 0.0, ee = 0.0
    for (a, b) in zip(f.scalars, y.scalars) {
      xx += Double(a) * Double(a)
      ee += Double(a - b) * Double(a - b)
    }
    XCTAssertGreaterThan(10 * log10(xx / ee), 20)
  }
}
