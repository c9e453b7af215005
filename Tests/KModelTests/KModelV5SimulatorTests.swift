import Graph
import GraphFixtures
import KModel
import Quantization
import Tensors
import XCTest

/// The V5 writer's general graphs, run from their bytes by ``KModelV5Simulator``, against the
/// K210 executor; the reader's errors on malformed files.
final class KModelV5SimulatorTests: XCTestCase {
  func testCPUOpsGraphMatchesTheExecutor() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.cpuOpsGraph())
    XCTAssertEqual(Set(executor.layers.keys), ["c1", "c2", "c3", "c4", "dw", "c5"])
    let model = try KModelV5Writer.model(executor)
    // functions: c1 | c2→c3 | c4 | dw | c5 (mp, up, cat and the dw slice run on the CPU)
    XCTAssertEqual(model.modules.map(\.type), ["stackvm", "k210"])
    XCTAssertEqual(model.modules[1].functions.count, 5)
    let ops = model.text
    for name in ["QUANTIZE", "REDUCE_WINDOW2D", "RESIZE_IMAGE", "LUT1D", "COPY", "SLICE", "DEQUANTIZE", "CALL"] {
      XCTAssertTrue(ops.contains(": \(name) "), "\(name) missing in\n\(ops)")
    }
    XCTAssertEqual(try KModelV5(bytes: model.serialized()).serialized(), model.serialized())
    for seed: UInt64 in [1, 2, 3] {
      let a = try V5Fixtures.compare(executor, seed: seed)
      XCTAssertEqual(a.codes, 6 * 8 * 8 + 5 * 8 * 8)
      XCTAssertEqual(a.codeMismatches, 0)
      // q·scale + bias against (q − z)·scale
      XCTAssertLessThan(a.maxFloatError, 1e-5)
      XCTAssertGreaterThan(a.distinctCodes, 50)
    }
  }

  /// The simulator runs the file's bytes: zeroing the LUT1D tables in the stackvm `.rdata`
  /// changes the output whose path converts formats (c2's and c4's inputs) and no other.
  func testTheSimulatorReadsTheBytes() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.cpuOpsGraph())
    let model = try KModelV5Writer.model(executor)
    var bytes = model.serialized()
    let x = try V5Fixtures.input(executor, seed: 4).scalars
    let before = try KModelV5Simulator(bytes: bytes).run(x)
    let parsed = try KModelV5(bytes: bytes)
    let tables = try XCTUnwrap(parsed.modules[0].sections.first { $0.name == ".rdata" })
    XCTAssertEqual(tables.body.count % 256, 0)
    XCTAssertGreaterThan(tables.body.count, 0)
    for i in 0..<tables.body.count { bytes[tables.fileOffset + i] = 0 }
    let after = try KModelV5Simulator(bytes: bytes).run(x)
    // output 1 (c4 reads the converted concat) changes, output 2 (no table on its path) does not
    XCTAssertNotEqual(before[0], after[0])
    XCTAssertEqual(before[1], after[1])
  }

  func testTinyYOLOMatchesTheExecutor() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.tinyYOLO(), seed: 90)
    let a = try V5Fixtures.compare(executor, seed: 5)
    // two heads of 3 · (5 + 3) channels at strides 32 and 16
    XCTAssertEqual(a.codes, 24 * 4 * 4 + 24 * 8 * 8)
    XCTAssertEqual(a.codeMismatches, 0)
    XCTAssertLessThan(a.maxFloatError, 1e-4)
    XCTAssertGreaterThan(a.distinctCodes, 20)
  }

  /// At 96×96 (yolo.json's size) the stride-32 maps are 3×3: conv6, neck, conv7 and route run
  /// on maps padded to 4×4 (PAD of codes, CALL, SLICE of the corner), and every output code
  /// equals the executor's, which runs them unpadded.
  func testTinyYOLOAt96PadsTheSmallMapsAndMatchesTheExecutor() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.tinyYOLO(size: 96), seed: 90)
    let model = try KModelV5Writer.model(executor)
    let ops = model.text
    XCTAssertTrue(ops.contains(": PAD [1, 128, 3, 3]"), ops)
    XCTAssertTrue(ops.contains("kpu_conv2d 3×3, 128×4×4"), ops)
    XCTAssertTrue(ops.contains(": SLICE [1, 24, 4, 4]"), ops)
    for seed: UInt64 in [5, 6] {
      let a = try V5Fixtures.compare(executor, seed: seed)
      XCTAssertEqual(a.codes, 24 * 3 * 3 + 24 * 6 * 6)
      XCTAssertEqual(a.codeMismatches, 0)
      XCTAssertLessThan(a.maxFloatError, 1e-4)
      XCTAssertGreaterThan(a.distinctCodes, 20)
    }
  }

  /// 2×2 and 1×1 maps: 3×3, 1×1 and depthwise stride-2 layers on padded maps, two formats of
  /// the same 2×2 map; the codes equal the executor's.
  func testTwoByTwoMapsMatchTheExecutor() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.smallMapsGraph(), seed: 40)
    XCTAssertEqual(Set(executor.layers.keys), ["c1", "c2", "c3", "c4", "dw", "c5"])
    let ops = try KModelV5Writer.model(executor).text
    XCTAssertTrue(ops.contains(": PAD [1, 8, 2, 2]"), ops)
    XCTAssertTrue(ops.contains(": PAD [1, 8, 1, 1]"), ops)
    for seed: UInt64 in [1, 2, 3] {
      let a = try V5Fixtures.compare(executor, seed: seed)
      XCTAssertEqual(a.codes, 4 * 2 * 2 + 5)
      XCTAssertEqual(a.codeMismatches, 0)
      XCTAssertLessThan(a.maxFloatError, 1e-5)
    }
  }

  /// The SqueezeNet face descriptor with its L2 normalisation: conv1 (valid, stride 2) on the
  /// KPU and sliced, fire concats deferred into max pooling and global average pooling, small
  /// fire maps padded, and the normalisation as nncase lowers it (square, sum, max ε, sqrt,
  /// div). The executor computes the same descriptor by the float graph ops; they differ only
  /// by float rounding (a different code anywhere would move it by far more), and it has unit
  /// norm.
  func testSqueezeNetDescriptorMatchesTheExecutor() throws {
    let graph = try V5Fixtures.squeezeNetDescriptor()
    let executor = try V3Fixtures.executor(graph, seed: 50)
    XCTAssertEqual(executor.layers["conv1"]?.origin, 1)
    XCTAssertEqual(executor.layers.count, 26)
    let ops = try KModelV5Writer.model(executor).text
    for name in ["UNARY", "BINARY", "REDUCE", "PAD", "SLICE", "REDUCE_WINDOW2D"] {
      XCTAssertTrue(ops.contains(": \(name) "), "\(name) missing in\n\(ops)")
    }
    let simulator = try KModelV5Simulator(bytes: try KModelV5Writer.bytes(executor))
    for seed: UInt64 in [1, 2] {
      let x = try V5Fixtures.input(executor, seed: seed)
      let expected = try XCTUnwrap(try executor.run(inputs: ["image": x])["descriptor"]).scalars
      let ours = try simulator.run(x.scalars)[0]
      XCTAssertEqual(ours.count, 128)
      XCTAssertEqual(ours.count, expected.count)
      let error = zip(ours, expected).map { abs($0 - $1) }.max() ?? 1
      XCTAssertLessThan(error, 2e-6)
      XCTAssertEqual(ours.reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-5)
      XCTAssertGreaterThan(Set(ours).count, 32)
    }
  }

  /// V3 has no slice layer for a valid-padded convolution: the writer says so and names V5.
  func testV3RefusesValidPaddingWithTheWayOut() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.squeezeNetDescriptor(), seed: 50)
    XCTAssertThrowsError(try KModelV3Writer.bytes(executor)) { error in
      guard case let .unsupportedOp(node, _, reason)? = error as? KModelError else { return XCTFail("\(error)") }
      XCTAssertEqual(node, "conv1")
      XCTAssertTrue(reason.contains("export.kmodel.version 5"), reason)
    }
  }

  func testMalformedFilesAreRejectedWithSentences() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.cpuOpsGraph())
    let bytes = try KModelV5Writer.bytes(executor)
    func message(_ b: [UInt8]) -> String {
      do {
        _ = try KModelV5Simulator(bytes: b)
        return "accepted"
      } catch { return "\(error)" }
    }
    var wrongMagic = bytes
    wrongMagic[0] = 0x4E
    XCTAssertTrue(message(wrongMagic).contains("not 'KMDL'"), message(wrongMagic))
    var v3 = bytes
    v3[4] = 3
    XCTAssertTrue(message(v3).contains("the version is 3"), message(v3))
    let cut = Array(bytes[0..<(bytes.count / 2)])
    XCTAssertTrue(message(cut).contains("past the end"), message(cut))
    XCTAssertTrue(message(Array(bytes[0..<20])).contains("fewer than the 32-byte"))
    // the entry function's entry point (module 0 at 32: header 48 + 2 mempools 16, then the
    // function record: entrypoint at +24) far outside .text
    var entry = bytes
    entry[32 + 64 + 24 + 2] = 0x7F
    XCTAssertTrue(message(entry).contains("lies outside its"), message(entry))
    var entryModule = bytes
    entryModule[24] = 9
    XCTAssertTrue(message(entryModule).contains("which the file does not have"), message(entryModule))
  }

  /// mobilenet-tiny: KPU islands, depthwise stride-2 slices, then global average pooling and the
  /// dense classifier in float (REDUCE, MATMUL). The executor's float GAP and dense sum in another
  /// order, so the logits agree to rounding.
  func testMobileNetTinyMatchesTheExecutor() throws {
    let executor = try V3Fixtures.executor(try V5Fixtures.mobilenetTiny(), seed: 30)
    let ops = try KModelV5Writer.model(executor).text
    XCTAssertTrue(ops.contains(": REDUCE [1, 128, 4, 4]"), ops)
    XCTAssertTrue(ops.contains(": MATMUL "), ops)
    for seed: UInt64 in [1, 2] {
      let a = try V5Fixtures.compare(executor, seed: seed)
      XCTAssertEqual(a.codes, 0)
      XCTAssertLessThan(a.maxFloatError, 1e-4)
    }
  }

  func testOtherFloatCPULayersAreNamed() throws {
    var b = GraphBuilder(name: "tanh")
    let x = b.input("image", shape: [1, 3, 8, 8])
    let c = try b.add(.conv, "c", [x], ["outChannels": .int(4), "kernel": .ints([1, 1])])
    b.output(try b.add(.tanh, "t", [c]))
    let executor = try V3Fixtures.executor(Fixtures.withValues(try b.finish()))
    XCTAssertThrowsError(try KModelV5Writer.bytes(executor)) { error in
      guard case let .unsupportedOp(node, _, reason)? = error as? KModelError else { return XCTFail("\(error)") }
      XCTAssertEqual(node, "t")
      XCTAssertTrue(reason.contains("export.kmodel.version: 3"), reason)
    }
  }
}
