import XCTest

@testable import Charts

final class NiceScaleTests: XCTestCase {
  func testUnitRangeGetsTicksAtTwoTenths() {
    let scale = NiceScale(minimum: 0, maximum: 0.93, targetTicks: 6)
    XCTAssertEqual(scale.step, 0.2, accuracy: 1e-12)
    XCTAssertEqual(scale.lower, 0)
    XCTAssertEqual(scale.upper, 1, accuracy: 1e-12)
    XCTAssertEqual(scale.ticks, [0, 0.2, 0.4, 0.6, 0.8, 1.0])
  }

  func testRangeAcrossZeroWidensOutwardsToMultiplesOfFive() {
    let scale = NiceScale(minimum: -3.7, maximum: 12.2, targetTicks: 5)
    XCTAssertEqual(scale.step, 5)
    XCTAssertEqual(scale.lower, -5)
    XCTAssertEqual(scale.upper, 15)
    XCTAssertEqual(scale.ticks, [-5, 0, 5, 10, 15])
  }

  func testTicksAreFreeOfFloatingPointNoise() {
    let scale = NiceScale(minimum: 0, maximum: 0.3, targetTicks: 6)
    XCTAssertEqual(scale.step, 0.1, accuracy: 1e-15)
    XCTAssertEqual(scale.ticks, [0, 0.1, 0.2, 0.3])
    XCTAssertEqual(scale.ticks.map { TickFormatter.label($0, scale: scale) }, ["0.0", "0.1", "0.2", "0.3"])
  }

  func testDegenerateRangeIsPaddedAroundTheValue() {
    let scale = NiceScale(minimum: 1, maximum: 1, targetTicks: 5)
    XCTAssertLessThanOrEqual(scale.lower, 0.9)
    XCTAssertGreaterThanOrEqual(scale.upper, 1.1)
    XCTAssertEqual(scale.step, 0.1, accuracy: 1e-12)
    XCTAssertTrue(scale.ticks.contains { abs($0 - 1) < 1e-12 })
  }

  func testNiceNumbers() {
    XCTAssertEqual(NiceScale.niceNumber(0.13, round: true), 0.1, accuracy: 1e-15)
    XCTAssertEqual(NiceScale.niceNumber(0.13, round: false), 0.2, accuracy: 1e-15)
    XCTAssertEqual(NiceScale.niceNumber(3, round: true), 5)
    XCTAssertEqual(NiceScale.niceNumber(7.2, round: true), 10)
    XCTAssertEqual(NiceScale.niceNumber(7.2, round: false), 10)
    XCTAssertEqual(NiceScale.niceNumber(1500, round: true), 2000)
  }

  func testLargeTicksUseSISuffixes() {
    let scale = NiceScale(minimum: 0, maximum: 2.9e6, targetTicks: 4)
    XCTAssertEqual(scale.step, 2e6)
    XCTAssertEqual(scale.ticks.map { TickFormatter.label($0, scale: scale) }, ["0", "2M", "4M"])
  }

  func testFixedDomainKeepsItsBounds() {
    let scale = NiceScale(fixedLower: 0, fixedUpper: 1, targetTicks: 6)
    XCTAssertEqual(scale.lower, 0)
    XCTAssertEqual(scale.upper, 1)
    XCTAssertEqual(scale.ticks.count, 6)
  }
}
