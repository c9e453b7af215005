import Graph
import GraphFixtures
import K210
import Quantization
import Tensors
import XCTest

@testable import KModel

/// The V3 optimisation passes on hand-made plans (memory counted by hand) and on real models
/// (outputs byte-equal with each pass on and off).
final class KModelV3PassTests: XCTestCase {
  /// Runs the CPU layers of `plan` with `input` written at buffer 0 and returns buffer `read`.
  func run(_ plan: V3Plan, input: [UInt8], read: Int, bytes: Int) throws -> [UInt8] {
    let model = try plan.assemble(limits: K210Limits())
    let addresses = plan.placement().addresses
    var memory = MainMemory(count: model.mainMemoryUsage)
    try memory.writeBytes(input, at: addresses[0])
    var kpu = KPUSimulator()
    let simulator = KModelV3Simulator(model)
    for layer in model.layers { _ = try simulator.step(layer, kpu: &kpu, memory: &memory) }
    return try memory.bytes(addresses[read], bytes)
  }

  /// Buffer 0 holds 16 codes; two tables write 16 and 8 codes (buffers 1, 2), a CONCAT joins
  /// them (3) and a DEQUANTIZE makes the float output (4, 96 bytes).
  func concatPlan() -> V3Plan {
    let t1 = (0..<256).map { UInt8(255 - $0) }, t2 = (0..<256).map { UInt8(($0 * 7) % 256) }
    return V3Plan(
      layers: [
        .requantize(input: 0, output: 1, count: 16, table: t1),
        .requantize(input: 0, output: 2, count: 8, table: t2),
        .concat(output: 3, inputs: [KModelV3Range(start: 1, size: 16), KModelV3Range(start: 2, size: 8)]),
        .dequantize(input: 3, output: 4, count: 24, scale: 0.5, bias: -3),
      ], bytes: [16, 16, 8, 24, 96], kpuShapes: [], kpuLayers: [], outputs: [.init(buffer: 4, bytes: 96)])
  }

  /// By hand (first-fit by lifetime, 8-byte aligned). Before: 0 @0 (layers 0–1), 1 @16 (0–2),
  /// 2 @32 (1–2), 3 @40 (2–3; 1 and 2 still live), 4 @64 (3–end): 160 bytes. After: the tables
  /// write into 3 at offsets 0 and 16, so 3 lives from layer 0: 0 @0, 3 @16, 4 @40: 136 bytes,
  /// −24 bytes and −1 CPU layer; buffers 160 → 136 bytes; bytes moved −48 (the concat's 24
  /// loaded and 24 stored).
  func testConcatEliminationSavesTheCountedBytes() throws {
    let before = concatPlan()
    var after = before
    XCTAssertEqual(V3Passes.eliminateConcats(&after), 1)
    XCTAssertEqual(before.mainMemoryUsage, 160)
    XCTAssertEqual(after.mainMemoryUsage, 136)
    XCTAssertEqual(after.layers.count, 3)
    XCTAssertEqual(V3Passes.metrics(before, fastUpsample: false).bufferBytes, 16 + 16 + 8 + 24 + 96)
    XCTAssertEqual(V3Passes.metrics(after, fastUpsample: false).bufferBytes, 16 + 24 + 96)
    XCTAssertEqual(V3Passes.metrics(before, fastUpsample: false).cpuBytesMoved, 32 + 16 + 48 + 120)
    XCTAssertEqual(V3Passes.metrics(after, fastUpsample: false).cpuBytesMoved, 32 + 16 + 120)
    let input = (0..<16).map { UInt8($0 * 13 + 5) }
    let expected = try run(before, input: input, read: 4, bytes: 96)
    XCTAssertEqual(try run(after, input: input, read: 4, bytes: 96), expected)
    // a concat input that is also a model output stays where it is
    var kept = before
    kept.outputs.append(.init(buffer: 2, bytes: 8))
    XCTAssertEqual(V3Passes.eliminateConcats(&kept), 0)
  }

  /// Buffer 0 holds all 256 codes; DEQUANTIZE (1, floats) → QUANTIZE (2) → DEQUANTIZE output (3).
  func roundTripPlan(scale: Float, bias: Float) -> V3Plan {
    V3Plan(
      layers: [
        .dequantize(input: 0, output: 1, count: 256, scale: 0.05, bias: -6.4),
        .quantize(input: 1, output: 2, count: 256, scale: scale, bias: bias),
        .dequantize(input: 2, output: 3, count: 256, scale: 0.25, bias: -1),
      ], bytes: [256, 1024, 256, 1024], kpuShapes: [], kpuLayers: [], outputs: [.init(buffer: 3, bytes: 1024)])
  }

  /// Same scale and bias: the round trip is the identity on all 256 codes, so both layers go
  /// (3 → 1 CPU layer; bytes moved 3840 → 1280). Different ones: one in-place REQUANTIZE whose
  /// bytes equal the float route's for every code (1792 bytes moved; the arena stays 1280:
  /// 0 @0, 3 @256 by hand in all three plans).
  func testCancellingDequantizeQuantizeKeepsEveryByte() throws {
    let codes = (0..<256).map { UInt8($0) }
    for (scale, bias, layers, moved) in [(Float(0.05), Float(-6.4), 1, 1280), (0.07, -7, 2, 1792)] {
      let before = roundTripPlan(scale: scale, bias: bias)
      var after = before
      XCTAssertEqual(V3Passes.cancelRequantize(&after), 1)
      XCTAssertEqual(after.layers.count, layers)
      XCTAssertEqual(V3Passes.metrics(before, fastUpsample: false).cpuBytesMoved, 3840)
      XCTAssertEqual(V3Passes.metrics(after, fastUpsample: false).cpuBytesMoved, moved)
      XCTAssertEqual(before.mainMemoryUsage, 1280)
      XCTAssertEqual(after.mainMemoryUsage, 1280)
      XCTAssertEqual(V3Passes.metrics(before, fastUpsample: false).bufferBytes, 256 + 1024 + 256 + 1024)
      XCTAssertEqual(V3Passes.metrics(after, fastUpsample: false).bufferBytes, 256 + 1024)
      let expected = try run(before, input: codes, read: 3, bytes: 1024)
      XCTAssertEqual(try run(after, input: codes, read: 3, bytes: 1024), expected, "scale \(scale)")
      if layers == 2 {
        // the table is not the identity: the route really requantizes
        guard case let .requantize(_, _, _, table) = after.layers[0] else { return XCTFail("\(after.layers)") }
        XCTAssertNotEqual(table, codes)
        XCTAssertEqual(table[128], UInt8((Float(128) * 0.05 - 6.4 + 7) / 0.07 + 0.5))
      }
    }
  }

  /// The 2× fast path writes the same bytes as the general nearest resize, and loads a quarter.
  func testUpsampleFastPathEqualsTheGeneralResize() throws {
    var random = RandomStream(seed: 9)
    for s in [KModelV3Shape(width: 3, height: 3, channels: 5), KModelV3Shape(width: 13, height: 6, channels: 2)] {
      let x = (0..<s.count).map { _ in UInt8(random.nextInt(below: 256)) }
      let general = V3CPUKernels.resizeNearestIndex(s, outWidth: 2 * s.width, outHeight: 2 * s.height).map { x[$0] }
      XCTAssertEqual(V3CPUKernels.upsample2x(x, s), general)
      let layer = KModelV3Layer.resizeNearestNeighbor(
        input: 0, output: 1, inShape: s, outWidth: 2 * s.width, outHeight: 2 * s.height, alignCorners: 0,
        quantized: true)
      XCTAssertTrue(V3CPUKernels.isExactUpsample2x(layer))
      let plan = V3Plan(
        layers: [layer], bytes: [s.count, 4 * s.count], kpuShapes: [], kpuLayers: [], outputs: [])
      XCTAssertEqual(V3Passes.metrics(plan, fastUpsample: false).cpuBytesMoved, 8 * s.count)
      XCTAssertEqual(V3Passes.metrics(plan, fastUpsample: true).cpuBytesMoved, 5 * s.count)
    }
    let notExact = KModelV3Layer.resizeNearestNeighbor(
      input: 0, output: 1, inShape: KModelV3Shape(width: 3, height: 3, channels: 1), outWidth: 7, outHeight: 6,
      alignCorners: 0, quantized: true)
    XCTAssertFalse(V3CPUKernels.isExactUpsample2x(notExact))
  }
}
