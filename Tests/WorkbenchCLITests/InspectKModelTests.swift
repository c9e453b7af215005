import Foundation
import KModel
import XCTest

/// `workbench inspect kmodel FILE` on a one-layer V3 file built here, and on a file that is not
/// a kmodel.
final class InspectKModelTests: XCTestCase {
  func testPrintsHeaderLayersAndDecodedWords() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wb-kmodel-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var a = KPULayerArgument()
    (a.inputChannelsMinus1, a.outputChannelsMinus1, a.inputWidthMinus1, a.inputHeightMinus1) = (2, 3, 15, 15)
    (a.outputWidthMinus1, a.outputHeightMinus1, a.coefficientGroup, a.writeBackGroup) = (15, 15, 4, 4)
    (a.rowSwitchAddress, a.channelSwitchAddress, a.writeBackRowSwitchAddress) = (1, 16, 1)
    (a.writeBackChannelSwitchAddress, a.imageSourceAddress, a.imageDestinationAddress) = (16, 32752, 32736)
    let conv = KModelV3Conv(
      mainMemoryOutput: 0, argument: a, weights: [UInt8](repeating: 128, count: 12),
      batchNorm: [UInt64](repeating: 1, count: 4), activation: [UInt8](repeating: 0, count: 144))
    let model = KModelV3(
      maxStartAddress: 32736, mainMemoryUsage: 2048, outputs: [KModelV3Range(start: 1024, size: 4096)],
      layers: [.conv(conv), .dequantize(input: 0, output: 1024, count: 1024, scale: 0.5, bias: -64)])
    let file = dir.appendingPathComponent("m.kmodel")
    try Data(try model.serialized()).write(to: file)
    let cache = dir.appendingPathComponent("cache")
    let r = try WorkbenchProcess(cache: cache).run(["inspect", "kmodel", file.path])
    XCTAssertEqual(r.status, 0, r.err)
    XCTAssertTrue(r.out.contains("kmodel V3"), r.out)
    XCTAssertTrue(r.out.contains("2 layers, main buffer 2048 bytes, lowest KPU row 32736"), r.out)
    XCTAssertTrue(r.out.contains("0 K210_CONV: 1×1, 3×16×16 @row 32752 → 4×16×16 @row 32736"), r.out)
    XCTAssertTrue(r.out.contains("i_ch_num=2 o_ch_num=3"), r.out)
    XCTAssertTrue(r.out.contains("1 DEQUANTIZE: main+0 → main+1024, 1024 values, scale 0.5, bias -64.0"), r.out)
    // a V5 file: one stackvm function that dequantizes nothing (empty code), run twice
    let v5 = KModelV5(
      alignment: 8,
      modules: [
        .init(
          type: "stackvm", mempools: [.init(location: 3, size: 16)],
          functions: [
            .init(
              inputPool: 16, outputPool: 8,
              inputs: [.init(.init(location: 0, datatype: 9, start: 0, size: 16), shape: [1, 1, 2, 2])],
              outputs: [.init(.init(location: 1, datatype: 9, start: 0, size: 8), shape: [1, 2])], entrypoint: 0,
              textSize: 0)
          ], sections: [.init(name: ".rdata", body: []), .init(name: ".text", body: [])])
      ])
    let v5File = dir.appendingPathComponent("v5.kmodel")
    try Data(v5.serialized()).write(to: v5File)
    let r5 = try WorkbenchProcess(cache: cache).run(["inspect", "kmodel", v5File.path, "--runs", "2"])
    XCTAssertEqual(r5.status, 0, r5.err)
    XCTAssertTrue(r5.out.contains("kmodel V5"), r5.out)
    XCTAssertTrue(r5.out.contains("module 0 'stackvm' v1:"), r5.out)
    XCTAssertTrue(r5.out.contains("in  input+0 f32 [1, 1, 2, 2] (16 bytes)"), r5.out)
    XCTAssertTrue(r5.out.contains("out output+0 f32 [1, 2] (8 bytes)"), r5.out)
    XCTAssertTrue(r5.out.contains("ms per run (mean of 2"), r5.out)
    let bad = dir.appendingPathComponent("bad.kmodel")
    try Data([5, 0, 0, 0, 0, 0, 0, 0]).write(to: bad)
    let e = try WorkbenchProcess(cache: cache).run(["inspect", "kmodel", bad.path])
    XCTAssertNotEqual(e.status, 0)
    XCTAssertTrue(e.err.contains("version 5; this reader reads V3 only"), e.err)
  }
}
