import XCTest

@testable import Charts

final class PaletteTests: XCTestCase {
  func testOkabeItoColoursAreDistinctAndCycle() {
    XCTAssertEqual(Set(Palette.okabeIto).count, 7)
    XCTAssertEqual(Palette.color(0).css, "#0072b2")
    XCTAssertEqual(Palette.color(1).css, "#d55e00")
    XCTAssertEqual(Palette.color(7), Palette.color(0))
    XCTAssertEqual(Palette.dash(0), [])
    XCTAssertEqual(Palette.dash(7), [6, 3])
  }

  func testSequentialScaleDarkensMonotonically() {
    let lums = stride(from: 0.0, through: 1.0, by: 0.1).map { Palette.sequential($0).luminance }
    for (a, b) in zip(lums, lums.dropFirst()) { XCTAssertGreaterThan(a, b) }
    XCTAssertEqual(Palette.sequential(0).css, "#f7fbff")
    XCTAssertEqual(Palette.sequential(1).css, "#08306b")
  }
}
