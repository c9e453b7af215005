import XCTest

@testable import KModel

/// The stackvm tensor functions of the V5 simulator on hand-computed cases: each step is
/// emitted as bytecode (``StackVMWriter/emit(_:addresses:)``) and interpreted.
final class V5MachineTests: XCTestCase {
  func testTensorFunctionsOnHandComputedCodes() throws {
    // a 1×1×2×4 map of codes: rows [3 9 1 4] and [7 2 8 6] at data+0
    let x: [UInt8] = [3, 9, 1, 4, 7, 2, 8, 6]
    let s = [1, 1, 2, 4]
    let steps: [V5Step] = [
      .dequantize(.data(0), .data(1), shape: s, scale: 1, bias: 0),
      .maxPool(.data(1), .data(2), inShape: s, kernel: [2, 2], stride: [2, 2], padding: [0, 0, 0, 0]),
      .quantize(.data(2), .data(3), shape: [1, 1, 1, 2], inverseScale: 1, zeroPoint: 0),
      .resize(.data(3), .data(4), inShape: [1, 1, 1, 2], outHeight: 2, outWidth: 4),
      .lut(.data(0), .data(5), shape: s, table: 0),
      .slice(.data(0), .data(6), inShape: s, begin: 0, step: 2, outShape: [1, 1, 1, 2]),
      .copy(.data(0), .data(7), shape: s, datatype: 4),
      .copy(.data(3), .data(7, 8), shape: [1, 1, 1, 2], datatype: 4),
      .dequantize(.data(3), V5Ref(location: 1), shape: [1, 1, 1, 2], scale: 0.5, bias: -1),
    ]
    // buffers 0…7 at 64-byte spacing
    let addresses = (0..<8).map { 64 * $0 }
    var w = StackVMWriter()
    for step in steps { w.emit(step, addresses: addresses) }
    var m = V5Machine(model: KModelV5(alignment: 8, modules: []), module: 0)
    m.pools[3] = x + [UInt8](repeating: 0, count: 8 * 64 - x.count)
    m.pools[2] = (0...255).map { 255 - UInt8($0) }
    m.pools[1] = [UInt8](repeating: 0, count: 8)
    try m.interpret(w.code.bytes[...])
    func codes(_ buffer: Int, _ n: Int) throws -> [UInt8] {
      Array(try m.bytes(.init(location: 3, offset: 64 * buffer), n))
    }
    XCTAssertEqual(try m.floats(.init(location: 3, offset: 64), 8), x.map(Float.init))
    // max of [3 9; 7 2] and [1 4; 8 6]
    XCTAssertEqual(try m.floats(.init(location: 3, offset: 128), 2), [9, 8])
    XCTAssertEqual(try codes(3, 2), [9, 8])
    // nearest ×2 of [9 8] to 2×4
    XCTAssertEqual(try codes(4, 8), [9, 9, 8, 8, 9, 9, 8, 8])
    XCTAssertEqual(try codes(5, 8), x.map { 255 - $0 })
    // rows 0, columns 0 and 2
    XCTAssertEqual(try codes(6, 2), [3, 1])
    XCTAssertEqual(try codes(7, 10), x + [9, 8])
    // 9·0.5 − 1, 8·0.5 − 1
    XCTAssertEqual(try m.floats(.init(location: 1, offset: 0), 2), [3.5, 3])
  }

  func testGlobalAveragePoolAndDenseOnHandComputedFloats() throws {
    // two 2×2 channels [1 2 3 4] and [5 6 7 8] → means 2.5 and 6.5 → [2.5 6.5]·W + b with
    // W = [[1 2 3] [4 5 6]] and b = [0.5 0 −1]: 0.5 + 2.5 + 26 = 29, 5 + 32.5 = 37.5, −1 + 7.5 + 39 = 45.5
    var w = StackVMWriter()
    w.emit(.reduce(.data(0), .data(1), inShape: [1, 2, 2, 2], axes: [2, 3], op: 0), addresses: [0, 64])
    w.emit(.matmul(.data(1), V5Ref(location: 1), k: 2, n: 3, weights: 0, bias: 24), addresses: [0, 64])
    var m = V5Machine(model: KModelV5(alignment: 8, modules: []), module: 0)
    m.pools[3] = [UInt8](repeating: 0, count: 128)
    try m.writeFloats((1...8).map(Float.init), at: .init(location: 3, offset: 0))
    m.pools[2] = [UInt8](repeating: 0, count: 36)
    try m.writeFloats([1, 2, 3, 4, 5, 6, 0.5, 0, -1], at: .init(location: 2, offset: 0))
    m.pools[1] = [UInt8](repeating: 0, count: 12)
    try m.interpret(w.code.bytes[...])
    XCTAssertEqual(try m.floats(.init(location: 3, offset: 64), 2), [2.5, 6.5])
    XCTAssertEqual(try m.floats(.init(location: 1, offset: 0), 3), [29, 37.5, 45.5])
  }

  /// L2 normalisation as the writer lowers it (square, sum over axis 1, max with ε, sqrt, div),
  /// a uint8 PAD and a SLICE from (1, 1) with step 2, on hand-computed values.
  func testL2NormalizationPadAndOffsetSliceOnHandComputedValues() throws {
    let steps: [V5Step] = [
      .unary(.data(0), .data(1), shape: [2, 2], op: 14),
      .reduce(.data(1), .data(2), inShape: [2, 2], axes: [1], op: 3),
      .binary(.data(2), V5Ref(location: 2), .data(3), aShape: [2, 1], bShape: [1, 1], op: 5),
      .unary(.data(3), .data(4), shape: [2, 1], op: 13),
      .binary(.data(0), .data(4), V5Ref(location: 1), aShape: [2, 2], bShape: [2, 1], op: 3),
      .pad(.data(5), .data(6), inShape: [1, 1, 2, 2], outShape: [1, 1, 4, 4], value: 7),
      .slice(.data(7), .data(8), inShape: [1, 1, 4, 4], begin: 1, step: 2, outShape: [1, 1, 2, 2]),
    ]
    var w = StackVMWriter()
    for step in steps { w.emit(step, addresses: (0..<9).map { 64 * $0 }) }
    var m = V5Machine(model: KModelV5(alignment: 8, modules: []), module: 0)
    m.pools[3] = [UInt8](repeating: 0, count: 9 * 64)
    try m.writeFloats([3, 4, 1e-6, 0], at: .init(location: 3, offset: 0))
    try m.write([1, 2, 3, 4], at: .init(location: 3, offset: 5 * 64))
    try m.write((0..<16).map(UInt8.init), at: .init(location: 3, offset: 7 * 64))
    m.pools[2] = [UInt8](repeating: 0, count: 4)
    try m.writeFloats([1e-10], at: .init(location: 2, offset: 0))
    m.pools[1] = [UInt8](repeating: 0, count: 16)
    try m.interpret(w.code.bytes[...])
    // sums 25 and 1e-12; max with 1e-10 keeps 25 and takes 1e-10 (adding ε would give
    // 1e-6/√1.01e-10 ≈ 0.0995); norms 5 and 1e-5
    let y = try m.floats(.init(location: 1, offset: 0), 4)
    XCTAssertEqual(Array(y[0..<2]), [0.6, 0.8])
    XCTAssertEqual(y[2], 0.1, accuracy: 1e-6)
    XCTAssertEqual(y[3], 0)
    XCTAssertEqual(
      Array(try m.bytes(.init(location: 3, offset: 6 * 64), 16)), [1, 2, 7, 7, 3, 4] + [UInt8](repeating: 7, count: 10))
    // rows 1 and 3, columns 1 and 3 of 0…15
    XCTAssertEqual(Array(try m.bytes(.init(location: 3, offset: 8 * 64), 4)), [5, 7, 13, 15])
  }

  func testBadCodeIsRejectedWithASentence() throws {
    var m = V5Machine(model: KModelV5(alignment: 8, modules: []), module: 0)
    XCTAssertThrowsError(try m.interpret([0x59][...])) { error in
      XCTAssertTrue(
        "\(error)".contains("stackvm opcode 0x59 at code byte 0 is not one this simulator runs"), "\(error)")
    }
    var w = StackVMWriter()
    w.leaBuffer(3, 60)
    w.leaBuffer(3, 0)
    w.shape([1, 1, 2, 4], register: 0)
    w.shape([8, 8, 4, 1], register: 1)
    w.shape([8, 8, 4, 1], register: 2)
    w.tensor(0x09, payload: [4, 0, 1, 2])
    m.pools[3] = [UInt8](repeating: 0, count: 64)
    XCTAssertThrowsError(try m.interpret(w.code.bytes[...])) { error in
      XCTAssertTrue("\(error)".contains("bytes 60..<68 lie outside memory location 3 (64 bytes)"), "\(error)")
    }
  }
}
