import Graph
import GraphFixtures
import KModel
import Quantization
import Tensors
import XCTest

/// The V3 writer, reader and simulator against the K210 executor.
final class KModelV3Tests: XCTestCase {
  func testMixedGraphSimulatesBitExactly() throws {
    let executor = try V3Fixtures.executor(try V3Fixtures.mixedGraph())
    XCTAssertEqual(Set(executor.layers.keys), ["c1", "c2", "dw", "c3", "c4"])
    for seed: UInt64 in [1, 2, 3] {
      let a = try V3Fixtures.compare(executor, seed: seed)
      // c1 8·32·72 + c2 16·8·18 + c3 8·4·9 + c4 12·8·18 codes (dw is compared through c3)
      XCTAssertEqual(a.codes, 8 * 32 * 72 + 16 * 8 * 18 + 8 * 4 * 9 + 12 * 8 * 18)
      XCTAssertEqual(a.codeMismatches, 0)
      XCTAssertEqual(a.floats, 12 * 8 * 18 + 5)
      // outputs: q·scale + bias against (q − z)·scale, and float GAP/FC in another order
      XCTAssertLessThan(a.maxFloatError, 1e-5)
      XCTAssertGreaterThan(a.distinctCodes, 100)
    }
  }

  /// The simulator runs the bytes: changing one weight byte of the last conv in the file
  /// changes that layer's output codes.
  func testTheSimulatorReadsTheBytes() throws {
    let executor = try V3Fixtures.executor(try V3Fixtures.mixedGraph())
    var bytes = try KModelV3Writer.bytes(executor)
    let model = try KModelV3(bytes: bytes)
    guard case let .conv(last)? = model.layers.last(where: { if case .conv = $0 { return true } else { return false } })
    else { return XCTFail("no conv") }
    let image = (0..<(3 * 32 * 72)).map { UInt8(truncatingIfNeeded: $0 &* 37) }
    let before = try KModelV3Simulator(bytes: bytes).run(image)
    bytes[last.offsets.weights] = bytes[last.offsets.weights] &+ 100
    let after = try KModelV3Simulator(bytes: bytes).run(image)
    // the first output channel of c4 (8·18 pixels) reads the changed weight
    XCTAssertGreaterThan(zip(before[0], after[0]).filter { $0 != $1 }.count, 0)
    XCTAssertEqual(Array(before[0][(8 * 18)...]), Array(after[0][(8 * 18)...]))
  }

  func testLayoutAndRoundTrip() throws {
    let executor = try V3Fixtures.executor(try V3Fixtures.mixedGraph())
    // the plain lowering (the passes are tested in KModelV3PassTests)
    let bytes = try KModelV3Writer.bytes(executor, options: .none)
    let model = try KModelV3(bytes: bytes)
    XCTAssertEqual(try model.serialized(), bytes)
    let text = model.text
    XCTAssertTrue(text.contains("20 layers"), text)
    XCTAssertTrue(text.contains("  0 K210_CONV: 3×3, 3×32×72 @row "), text)
    XCTAssertTrue(text.contains("pool left_top 2/2"), text)
    XCTAssertEqual(Array(bytes[0..<12]), [3, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0])
    XCTAssertEqual(model.outputs.map(\.size), [4 * 12 * 8 * 18, 4 * 5])
    XCTAssertEqual(
      model.layers.map(\.typeName),
      [
        "K210_CONV", "QUANTIZED_MAX_POOL2D", "REQUANTIZE", "K210_UPLOAD", "K210_CONV", "K210_UPLOAD", "K210_CONV",
        "QUANTIZED_MAX_POOL2D", "K210_UPLOAD", "K210_CONV", "QUANTIZED_RESIZE_NEAREST_NEIGHBOR", "REQUANTIZE",
        "REQUANTIZE", "CONCAT", "K210_UPLOAD", "K210_CONV", "DEQUANTIZE", "GLOBAL_AVERAGE_POOL2D",
        "FULLY_CONNECTED", "LOGISTIC",
      ])
    var convs = 0
    for case let .conv(c) in model.layers {
      convs += 1
      XCTAssertEqual(c.offsets.layer % 8, 0)
      XCTAssertEqual(c.offsets.weights % 128, 0)
      XCTAssertEqual(c.offsets.batchNorm % 128, 0)
      XCTAssertEqual(c.offsets.activation % 256, 0)
    }
    XCTAssertEqual(convs, 5)
    // the first conv: 3→8 channels, 72×32 input (two 64-byte rows per image row), 3×3, no pool
    guard case let .conv(first) = model.layers[0] else { return XCTFail("the first layer is not a conv") }
    let a = first.argument
    XCTAssertEqual([a.inputChannels, a.outputChannels, a.inputWidth, a.inputHeight], [3, 8, 72, 32])
    XCTAssertEqual([a.rowSwitchAddress, a.channelSwitchAddress, a.coefficientGroup], [2, 64, 1])
    XCTAssertEqual([a.kernelType, a.poolType, a.parameterSize, a.loadTimeMinus1], [1, 0, 8 * 27, 0])
    XCTAssertNotNil(first.mainMemoryOutput)
    // the stride-2 conv uses the left_top pool and writes 18-wide rows (2 channels per row)
    guard case let .conv(second) = model.layers[4] else { return XCTFail("layer 4 is not a conv") }
    XCTAssertEqual(
      [second.argument.poolType, second.argument.outputWidth, second.argument.writeBackGroup], [5, 18, 2])
  }

  func testUnsupportedOpsAreNamed() throws {
    var b = GraphBuilder(name: "tanh")
    let x = b.input("image", shape: [1, 3, 8, 8])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(4), "kernel": .ints([1, 1])])
    let t = try b.add(.tanh, "t", [c])
    b.output(t)
    let executor = try V3Fixtures.executor(Fixtures.withValues(try b.finish()))
    XCTAssertThrowsError(try KModelV3Writer.model(executor)) { error in
      guard case let .unsupportedOp(node, op, _)? = error as? KModelError else { return XCTFail("\(error)") }
      XCTAssertEqual([node, op], ["t", "Tanh"])
    }
    var b2 = GraphBuilder(name: "small")
    let y = b2.input("image", shape: [1, 3, 2, 2])
    b2.output(try b2.add(.conv, "c", [y], ["outChannels": .int(4), "kernel": .ints([1, 1])]))
    let small = try V3Fixtures.executor(Fixtures.withValues(try b2.finish()))
    XCTAssertThrowsError(try KModelV3Writer.model(small)) { error in
      guard case let .unsupportedOp(node, _, reason)? = error as? KModelError else { return XCTFail("\(error)") }
      XCTAssertEqual(node, "c")
      XCTAssertTrue(reason.contains("input height is 2"), reason)
    }
  }

  func testTinyYOLOSimulatesBitExactly() throws {
    let graph = try FoldBatchNorm.run(
      Fixtures.withValues(
        try ModelZoo.graph("tiny-yolo", options: BuildOptions(width: 0.25, inputSize: [128, 128])), seed: 21))
    let executor = try V3Fixtures.executor(graph, seed: 90)
    XCTAssertEqual(executor.layers.count, graph.nodes.filter { $0.op == .conv }.count)
    let a = try V3Fixtures.compare(executor, seed: 5)
    XCTAssertEqual(a.codeMismatches, 0)
    XCTAssertGreaterThan(a.codes, 100_000)
    XCTAssertLessThan(a.maxFloatError, 1e-4)
  }
}
