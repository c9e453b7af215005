import Graph
import GraphFixtures
import KModel
import Quantization
import Tensors
import XCTest

/// Maps smaller than 4×4: the KPU layer runs on the map padded to 4×4 with the input zero point
/// (nncase 1.9's pad_conv_transform) and the output is cropped.
final class KModelV3SmallMapTests: XCTestCase {
  /// The executor's same-padded convolution on an H×W map equals the KPU's convolution of the
  /// map padded on the bottom and right to 4×4 with `pad_value`, cropped: every tap the corner
  /// reads outside the original map reads `pad_value` in both. Padding with another value
  /// changes the border pixels, so the check can fail.
  func testPaddingWithThePadValueThenCroppingIsTheSameConvolution() throws {
    let executor = try V3Fixtures.executor(try SmallMapFixtures.smallGraph())
    let layer = try XCTUnwrap(executor.layers["c2"]).quantized.layer
    XCTAssertEqual(layer.filter, 3)
    var random = RandomStream(seed: 4)
    for (h, w) in [(3, 3), (2, 3), (3, 1)] {
      let input = (0..<(layer.inChannels * h * w)).map { _ in UInt8(random.nextInt(below: 256)) }
      let direct = layer.run(input, height: h, width: w)
      for filler in [layer.padValue, layer.padValue &+ 37] {
        var padded = [UInt8](repeating: filler, count: layer.inChannels * 16)
        for c in 0..<layer.inChannels {
          for y in 0..<h { for x in 0..<w { padded[(c * 4 + y) * 4 + x] = input[(c * h + y) * w + x] } }
        }
        let full = layer.run(padded, height: 4, width: 4)
        var cropped: [UInt8] = []
        for c in 0..<layer.outChannels {
          for y in 0..<h { for x in 0..<w { cropped.append(full[(c * 4 + y) * 4 + x]) } }
        }
        if filler == layer.padValue {
          XCTAssertEqual(cropped, direct, "\(h)×\(w)")
        } else {
          XCTAssertNotEqual(cropped, direct, "\(h)×\(w) padded with \(filler)")
        }
      }
    }
  }

  /// A graph with 3×3 maps written as V3 and simulated: every KPU layer's codes and the outputs
  /// equal the executor's bit for bit, with the passes on and off.
  func testSmallMapsSimulateBitExactly() throws {
    let executor = try V3Fixtures.executor(try SmallMapFixtures.smallGraph())
    for options in [KModelV3Options(), .none] {
      let e = try SmallMapFixtures.compare(executor, options: options, seed: 6)
      XCTAssertEqual(e.codeMismatches, 0)
      // c1 12·12·8, c2 9·16, c3 9·8, c4 9·6, c5 9·4, c6 36·5
      XCTAssertEqual(e.codes, 1152 + 144 + 72 + 54 + 36 + 180)
      XCTAssertEqual(e.paddedLayers, 4)
      XCTAssertEqual(e.floatMismatches, 0)
      XCTAssertEqual(e.floats, 54 + 180)
    }
    let model = try KModelV3Writer.model(executor, options: .none)
    let names = model.layers.map(\.typeName)
    // c2 (3×3, CPU producer): pad concat + upload; c3 (1×1) reads c2's padded map in KPU RAM;
    // c4 (3×3) pads c3's padded map from main memory again (no crop): pad concat + upload; c6
    // reads the graph's concat: upload. Crops (1×1 max pools): c4 (output) and c5 (for the
    // upsample), plus the graph's two max pools.
    XCTAssertEqual(names.filter { $0 == "K210_UPLOAD" }.count, 3)
    XCTAssertEqual(names.filter { $0 == "CONCAT" }.count, 2 + 1)
    XCTAssertEqual(names.filter { $0 == "QUANTIZED_MAX_POOL2D" }.count, 2 + 2)
    let uploads = model.layers.compactMap { layer -> [Int]? in
      guard case let .upload(_, _, w, h, c) = layer else { return nil }
      return [c, h, w]
    }
    XCTAssertEqual(uploads, [[8, 4, 4], [8, 4, 4], [12, 6, 6]])
    // c2's pad: per channel 3 rows of 3 codes, each followed by 1 filler byte, then a 4-byte
    // filler row: 8 · 7 ranges, 8 · 16 bytes
    XCTAssertTrue(model.text.contains("… 56 ranges, 128 bytes in all → main+"), model.text)
  }

  /// The model input itself cannot be padded (the SDK uploads it to the first layer as is).
  func testASmallModelInputIsRefused() throws {
    var b = GraphBuilder(name: "small-input")
    let y = b.input("image", shape: [1, 3, 2, 2])
    b.output(try b.add(.conv, "c", [y], ["outChannels": .int(4), "kernel": .ints([1, 1])]))
    let executor = try V3Fixtures.executor(Fixtures.withValues(try b.finish()))
    XCTAssertThrowsError(try KModelV3Writer.model(executor)) { error in
      guard case let .unsupportedOp(node, _, reason)? = error as? KModelError else { return XCTFail("\(error)") }
      XCTAssertEqual(node, "c")
      XCTAssertTrue(reason.contains("enlarge the input image"), reason)
    }
  }

  /// The shipped `yolo.json` model (tiny-yolo-shapes, width 0.5) at 96×96, whose last layers
  /// run on 3×3 maps, and at 128×128: exported as V3 and simulated, every KPU layer's codes and
  /// both outputs equal the executor's bit for bit, with the passes on and off; the passes'
  /// effect is printed for the report.
  func testTinyYOLOShapesExportsAtBothSizesBitExactly() throws {
    for (size, padded) in [(96, 5), (128, 0)] {
      let graph = try FoldBatchNorm.run(
        Fixtures.withValues(
          try ModelZoo.graph("tiny-yolo-shapes", options: BuildOptions(width: 0.5, inputSize: [size, size])),
          seed: 31))
      let executor = try V3Fixtures.executor(graph, seed: 40)
      XCTAssertEqual(executor.layers.count, graph.nodes.filter { $0.op == .conv }.count)
      var outputs: [[[Float]]] = []
      for options in [KModelV3Options(), .none] {
        let e = try SmallMapFixtures.compare(executor, options: options, seed: 8)
        XCTAssertEqual(e.codeMismatches, 0, "\(size)")
        XCTAssertEqual(e.floatMismatches, 0, "\(size)")
        XCTAssertEqual(e.paddedLayers, padded, "\(size)")
        XCTAssertGreaterThan(e.codes, 100_000)
        XCTAssertEqual(e.floats, e.outputs.reduce(0) { $0 + $1.count })
        outputs.append(e.outputs)
      }
      XCTAssertEqual(outputs[0].map { $0.map(\.bitPattern) }, outputs[1].map { $0.map(\.bitPattern) })
      let (_, report) = try KModelV3Writer.modelAndReport(executor)
      print("tiny-yolo-shapes \(size): baseline \(report.baseline), final \(report.final)")
      for pass in report.passes { print("  " + pass.summary) }
      XCTAssertLessThan(report.final.cpuLayers, report.baseline.cpuLayers)
    }
  }
}
