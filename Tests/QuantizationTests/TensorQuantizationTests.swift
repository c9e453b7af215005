import Foundation
import Quantization
import XCTest

/// The side table's formats: affine (ties away from zero, clamping), per-channel, power of two,
/// and the JSON form.
final class TensorQuantizationTests: XCTestCase {
  func testAffinePerChannelAndPowerOfTwoFormats() {
    let a = TensorQuantization(scale: 0.25, zeroPoint: 10, elementType: .uint8)
    XCTAssertEqual(a.quantize(-0.5), 8)  // −2 + 10
    XCTAssertEqual(a.quantize(0.125), 11)  // 0.5 → 1 (away from zero)
    XCTAssertEqual(a.quantize(-0.125), 9)  // −0.5 → −1
    XCTAssertEqual(a.quantize(100), 255)
    XCTAssertEqual(a.quantize(-100), 0)
    XCTAssertEqual(a.dequantize(8), -0.5)
    let c = TensorQuantization(scales: [0.5, 2, 4], zeroPoints: [0, 0, 0], axis: 0, elementType: .int8)
    XCTAssertEqual(c.channel(ofFlatIndex: 4, shape: [3, 2, 1, 1]), 2)
    XCTAssertEqual(c.channel(ofFlatIndex: 1, shape: [3, 2, 1, 1]), 0)
    XCTAssertEqual(c.quantize(3, channel: 1), 2)  // 1.5 → 2
    XCTAssertEqual(c.quantize(-1000, channel: 2), -128)
    let q = TensorQuantization(fractionalBits: 7, elementType: .int16)  // Q8.7
    XCTAssertEqual(q.scale, 1.0 / 128)
    XCTAssertEqual(q.quantize(1.5), 192)
    XCTAssertEqual(q.dequantize(192), 1.5)
    XCTAssertEqual(q.quantize(300), 32767)
  }

  func testTableRoundTripsThroughJSON() throws {
    var table = QuantizationTable(scheme: .int8)
    table["conv1"] = TensorQuantization(scale: 0.02, zeroPoint: 3, elementType: .uint8)
    table["conv1.weight"] = TensorQuantization(scales: [0.1, 0.2], zeroPoints: [0, 0], axis: 0, elementType: .int8)
    table["x"] = TensorQuantization(fractionalBits: 11, elementType: .int16)
    let data = try JSONEncoder().encode(table)
    XCTAssertEqual(try JSONDecoder().decode(QuantizationTable.self, from: data), table)
    let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    XCTAssertEqual(object["scheme"] as? String, "int8")
    XCTAssertEqual(object["version"] as? Int, 1)
  }
}
