import KModel
import Quantization
import XCTest

/// The register words and parameter tables: bit positions against hand-packed words.
final class KPUWordsTests: XCTestCase {
  func testFieldsLandOnTheSDKBitPositions() throws {
    var a = KPULayerArgument()
    a.imageSourceAddress = 0x1234
    a.imageDestinationAddress = 0x7ABC
    a.inputChannelsMinus1 = 2
    a.outputChannelsMinus1 = 7
    a.outputChannelsPerLoadMinus1 = 7
    a.kernelType = 1
    a.poolType = 5
    a.padValue = 128
    a.dmaBurstSize = 15
    a.loadPara = 1
    a.argW = -128
    a.argX = -128
    a.argAdd = 147_456
    a.dmaTotalByteCountMinus1 = 255
    let w = try a.words(layer: "t")
    XCTAssertEqual(w[1], 0x7ABC << 32 | 0x1234)
    XCTAssertEqual(w[2], 7 << 48 | 7 << 32 | 2)
    // kernel_type 1, pool_type 5 at bit 4, load_para at bit 10, burst 15 at 16, pad 128 at 24
    XCTAssertEqual(w[4], 1 | 5 << 4 | 1 << 10 | 15 << 16 | 128 << 24)
    // arg_w = −128 as s24 at bit 8, arg_x = −128 as s24 at bit 32
    XCTAssertEqual(w[9], UInt64(0xFFFF80) << 8 | UInt64(0xFFFF80) << 32)
    XCTAssertEqual(w[10], 147_456)
    XCTAssertEqual(w[11], 255 << 32)
    XCTAssertEqual(try KPULayerArgument(words: w), a)
  }

  func testAFieldThatDoesNotFitIsAnError() {
    var a = KPULayerArgument()
    a.inputChannelsMinus1 = 1024
    XCTAssertThrowsError(try a.words(layer: "c1")) { error in
      XCTAssertEqual(error as? KModelError, .fieldOverflow(layer: "c1", field: "i_ch_num", value: 1024, bits: 10))
    }
  }

  func testBatchNormAndActivationTablesRoundTrip() throws {
    let bn = K210ConvLayer.BatchNorm(mul: -1_234_567, shift: 13, add: -40_000_000)
    let word = try KPUTables.batchNormWord(bn, layer: "t")
    // norm_mul s24 at 0, norm_add s32 at 24, norm_shift at 56
    XCTAssertEqual(word & 0xFF_FFFF, UInt64(bitPattern: Int64(-1_234_567)) & 0xFF_FFFF)
    XCTAssertEqual((word >> 56) & 0xF, 13)
    XCTAssertEqual(KPUTables.batchNorm(word), bn)
    var segments = [K210ActivationTable.Segment(start: -(1 << 35), mul: 0, shift: 0, bias: 0)]
    for i in 1..<16 {
      segments.append(
        .init(start: Int64(i * 1000 - 3000), mul: Int64(i * 977 - 9000), shift: 20 + i, bias: Int64(i * 16)))
    }
    let table = K210ActivationTable(segments: segments)
    let bytes = try KPUTables.activationBytes(table, layer: "t")
    XCTAssertEqual(bytes.count, 144)
    // segment 0: x_start 0x800000000 at bit 24 → bytes 3…7 of the first word
    XCTAssertEqual(Array(bytes[0..<8]), [0, 0, 0, 0, 0, 0, 0, 0x08])
    XCTAssertEqual(Array(bytes[128..<144]), (0..<16).map { UInt8($0 * 16) })
    XCTAssertEqual(try KPUTables.activationTable(bytes[...]), table)
  }
}
