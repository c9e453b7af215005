import Quantization
import XCTest

/// The fixed-point multiplier: representation and one rounding, half away from zero.
final class FixedPointTests: XCTestCase {
  func testMultiplierRepresentationAndRounding() {
    let m = FixedPointMultiplier(0.75)  // 0.75 = 0.75·2^0: mantissa 0.75·2^31, shift 31
    XCTAssertEqual(m.mantissa, 1_610_612_736)
    XCTAssertEqual(m.shift, 31)
    XCTAssertEqual(m.apply(3), 2)  // 2.25
    XCTAssertEqual(m.apply(2), 2)  // 1.5 → 2
    XCTAssertEqual(m.apply(-2), -2)  // −1.5 → −2 (away from zero)
    XCTAssertEqual(m.apply(-3), -2)  // −2.25
    let third = FixedPointMultiplier(1.0 / 3)  // 1/3 = (2/3)·2^−1: mantissa round(2^32/3), shift 32
    XCTAssertEqual(third.mantissa, 1_431_655_765)
    XCTAssertEqual(third.shift, 32)
    XCTAssertEqual(third.apply(3), 1)  // 0.99999999977 → 1
    XCTAssertEqual(third.apply(-300), -100)
    let three = FixedPointMultiplier(3)
    XCTAssertEqual(three.value, 3)
    XCTAssertEqual(three.apply(-5), -15)
    XCTAssertEqual(FixedPointMultiplier(0).apply(12345), 0)
  }

  func testRoundingShiftAndSharedShift() {
    XCTAssertEqual(FixedPointMultiplier.roundingShift(5, 1), 3)  // 2.5
    XCTAssertEqual(FixedPointMultiplier.roundingShift(-5, 1), -3)  // −2.5
    XCTAssertEqual(FixedPointMultiplier.roundingShift(-7, 2), -2)  // −1.75
    XCTAssertEqual(FixedPointMultiplier.roundingShift(-6, 2), -2)  // −1.5
    let m = SharedShiftMultipliers([0.5, 0.25])  // largest 0.5 = 0.5·2^0 → shift 31
    XCTAssertEqual(m.shift, 31)
    XCTAssertEqual(m.multipliers, [1 << 30, 1 << 29])
    XCTAssertEqual(m.apply(1, 1), 1)  // 0.75
    XCTAssertEqual(m.apply(-1, -1), -1)  // −0.75
    XCTAssertEqual(m.apply(3, 0), 2)  // 1.5
    XCTAssertEqual(m.apply(-3, 0), -2)  // −1.5
    XCTAssertEqual(m.apply(-2, term: 1), -1)  // −0.5 → −1
  }
}
