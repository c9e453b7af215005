import Graph
import GraphFixtures
import Tensors
import XCTest

@testable import K210

/// The static K210 check: row-layout sizes by hand, nncase 1.9's placement rules on hand-built
/// graphs, the first-fit KPU RAM plan (including fragmentation) and main memory.
final class K210CheckTests: XCTestCase {
  func testRowLayoutBytesByHand() {
    // W ≤ 16: 4 channels share a 64-byte row → ceil(5 / 4) = 2 row groups × 10 rows × 64 B
    XCTAssertEqual(KPURowLayout.bytes(channels: 5, height: 10, width: 16), 1280)
    // 16 < W ≤ 32: 2 channels per row; one channel still takes a whole row
    XCTAssertEqual(KPURowLayout.bytes(channels: 3, height: 8, width: 20), 2 * 8 * 64)
    XCTAssertEqual(KPURowLayout.bytes(channels: 1, height: 8, width: 20), 8 * 64)
    // W > 32: one channel per row group, ceil(W / 64) rows per image row
    XCTAssertEqual(KPURowLayout.bytes(channels: 3, height: 4, width: 33), 3 * 4 * 64)
    XCTAssertEqual(KPURowLayout.bytes(channels: 2, height: 4, width: 65), 2 * 2 * 4 * 64)
    // nncase's "Allocator has ran out of memory" example: 64×128×128 in, 128×128×128 out = 3 MiB
    XCTAssertEqual(
      KPURowLayout.bytes(channels: 64, height: 128, width: 128)
        + KPURowLayout.bytes(channels: 128, height: 128, width: 128),
      3 * 1024 * 1024)
    XCTAssertTrue(KPURowLayout.isPlain(width: 128))
    XCTAssertFalse(KPURowLayout.isPlain(width: 96))
  }

  func conv(_ b: inout GraphBuilder, _ x: String, _ name: String, out: Int, k: Int, stride: Int = 1, groups: Int = 1)
    throws
    -> String
  {
    try b.add(
      .conv, name, [x],
      [
        "outChannels": .int(out), "kernel": .ints([k, k]), "stride": .ints([stride, stride]), "groups": .int(groups),
        "padding": .ints([k / 2, k / 2, k / 2, k / 2]),
      ])
  }

  func testPlacementFollowsNncaseRules() throws {
    var b = GraphBuilder(name: "t")
    let x = b.input("x", shape: [1, 3, 32, 32])
    let c1 = try conv(&b, x, "c1", out: 8, k: 3)
    let n1 = try b.add(.batchNorm, "bn1", [c1])
    let a1 = try b.add(.leakyRelu, "a1", [n1])
    let p1 = try b.add(.maxPool, "p1", [a1], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])  // fused
    let c2 = try conv(&b, p1, "c2", out: 8, k: 5)  // 5×5: CPU
    let c3 = try conv(&b, c2, "c3", out: 8, k: 3, stride: 2)  // pool types 5/6
    let dw = try conv(&b, c3, "dw", out: 8, k: 3, groups: 8)  // depthwise
    // not fused after depthwise
    let p2 = try b.add(.maxPool, "p2", [dw], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])])
    b.output(try b.add(.add, "sum", [p2, p2]))
    let layers = try K210Partition.run(try b.finish())
    XCTAssertEqual(layers.map(\.name), ["c1", "c2", "c3", "dw", "p2", "sum"])
    XCTAssertEqual(layers.map(\.processor), [.kpu, .cpu, .kpu, .kpu, .cpu, .kpu])
    XCTAssertEqual(layers[0].nodes, ["c1", "bn1", "a1", "p1"])
    XCTAssertEqual(layers[0].summary, "conv 3×3 + BatchNorm + LeakyReLU + MaxPool 2×2/2")
    XCTAssertEqual(layers[1].violations, [K210Violation("kernel size", limit: "square 1×1 or 3×3", value: "5×5")])
    XCTAssertTrue(layers[2].notes.contains("stride 2 done by the KPU's pool types 5/6"), "\(layers[2].notes)")
    XCTAssertEqual(layers[3].summary, "depthwise conv 3×3")
    XCTAssertTrue(layers[5].notes[0].contains("add_to_conv2d"))
    // uint8 weights + 8-byte BN word per channel + 256-byte activation table; float32 on the CPU
    XCTAssertEqual(layers[0].parameterBytes, 8 * 3 * 9 + 8 * 8 + 256)
    XCTAssertEqual(layers[1].parameterBytes, 4 * (8 * 8 * 25 + 8))
    XCTAssertEqual(layers[0].macs, 8 * 32 * 32 * 3 * 9)
  }

  func testLargeMapsFallBackAndNameTheLimit() throws {
    var b = GraphBuilder(name: "t")
    b.output(try conv(&b, b.input("x", shape: [1, 3, 300, 600]), "c", out: 4, k: 3))
    let layer = try XCTUnwrap(K210Partition.run(try b.finish()).first)
    XCTAssertEqual(layer.processor, .cpu)
    XCTAssertEqual(
      layer.violations.map(\.description),
      [
        "input height: the KPU accepts ≤ 256, this layer has 300",
        "input width: the KPU accepts ≤ 512, this layer has 600",
      ])
  }

  func testKPURAMOverflowNamesTheLayerAndBytes() throws {
    var b = GraphBuilder(name: "t")
    b.output(try conv(&b, b.input("x", shape: [1, 64, 128, 128]), "big", out: 128, k: 3))
    let check = try K210Check(try b.finish())
    XCTAssertFalse(check.fits)
    XCTAssertEqual(check.kpu.failure?.layer, "big")
    XCTAssertEqual(check.kpu.failure?.bytes, 2 * 1024 * 1024)
    XCTAssertEqual(
      check.problems.first,
      "layer big needs 2097152 bytes of KPU RAM for big; only 1048576 of the 2097152 bytes of KPU RAM are free while it runs. Prune channels or lower the resolution."
    )
  }

  func testFirstFitFragmentation() {
    // Maps of 1024 bytes ([1, 1, 16, 64]) and one of 1536 in 4096 bytes of KPU RAM:
    // a@0 b@1024 → a freed; c@0; e@2048 → c freed; f needs 1536 with 2048 free in two holes.
    func layer(_ name: String, _ inputs: [String], _ output: String) -> K210Layer {
      K210Layer(
        name: name, nodes: [name], summary: "", processor: .kpu, notes: [], violations: [], inputShape: [],
        outputShape: [],
        macs: 0, parameterBytes: 0, inputs: inputs, output: output)
    }
    let shapes: [String: [Int]] = [
      "a": [1, 1, 16, 64], "b": [1, 1, 16, 64], "c": [1, 1, 16, 64], "e": [1, 1, 16, 64], "f": [1, 1, 24, 64],
    ]
    let plan = KPUMemoryPlan(
      layers: [
        layer("L0", ["a"], "b"), layer("L1", ["b"], "c"), layer("L2", ["c"], "e"), layer("L3", ["b", "e"], "f"),
      ],
      shapes: shapes, capacity: 4096)
    XCTAssertEqual(plan.allocations.first { $0.value == "c" }?.offset, 0)
    XCTAssertEqual(plan.allocations.first { $0.value == "e" }?.offset, 2048)
    let failure = try? XCTUnwrap(plan.failure)
    XCTAssertEqual(failure?.layer, "L3")
    XCTAssertEqual(failure?.free, 2048)
    XCTAssertEqual(failure?.largestBlock, 1024)
    XCTAssertTrue(failure?.description.contains("fragmentation") ?? false)
    XCTAssertEqual(plan.peakBytes, 3072)
  }

  func testTinyYOLOFitsAtItsTrainingSize() throws {
    let g = try ModelZoo.graph("tiny-yolo-shapes", options: BuildOptions(width: 0.5, inputSize: [96, 96]))
    let check = try K210Check(g)
    XCTAssertTrue(check.fits, check.renderText())
    XCTAssertEqual(check.fallbacks, [])
    // only the first layer reads a map uploaded from main memory with a width that is not a
    // multiple of 64; KPU-to-KPU layers keep their maps in KPU RAM
    XCTAssertTrue(check.layers[0].notes.contains { $0.hasPrefix("input width 96") })
    XCTAssertFalse(check.layers[1].notes.contains { $0.hasPrefix("input width") })
    // the five layers on 3×3 maps run padded to 4×4 on the KPU: 7 of every 16 output pixels
    // are extra. conv6 128→256 3×3: 7·256·128·9; neck 256→128 1×1: 7·128·256; conv7 as conv6;
    // the stride-32 head 256→24 1×1: 7·24·256; route 128→64 1×1: 7·64·128
    let extra = 2 * 7 * 256 * 128 * 9 + 7 * 128 * 256 + 7 * 24 * 256 + 7 * 64 * 128
    XCTAssertEqual(check.layers.reduce(0) { $0 + $1.macs }, try CostAnalysis.analyze(g).totalMACs + extra)
  }

  /// A layer on a 3×3 map is timed and placed in KPU RAM as the padded 4×4 map nncase runs.
  func testSmallMapsAreAccountedPadded() throws {
    let g = try ModelZoo.graph("tiny-yolo-shapes", options: BuildOptions(width: 0.5, inputSize: [96, 96]))
    let check = try K210Check(g)
    let conv6 = try XCTUnwrap(check.layers.first { $0.name == "conv6" })
    XCTAssertEqual(conv6.inputShape, [1, 128, 3, 3])
    XCTAssertEqual(conv6.macs, 256 * 16 * 128 * 9)
    XCTAssertTrue(conv6.notes.contains { $0.hasPrefix("map smaller than 4×4: CPU pad to 4×4") }, "\(conv6.notes)")
    // 128 channels, 4 per 64-byte row, 4 rows of a 4-wide map: 32 · 4 · 64 bytes (3 rows: 6144)
    let input = try XCTUnwrap(check.kpu.allocations.first { $0.value == conv6.inputs[0] })
    XCTAssertEqual(input.bytes, 32 * 4 * 64)
    let output = try XCTUnwrap(check.kpu.allocations.first { $0.value == conv6.output })
    XCTAssertEqual(output.bytes, 64 * 4 * 64)
  }
}
