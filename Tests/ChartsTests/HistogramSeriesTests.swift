import XCTest

@testable import Charts

final class HistogramSeriesTests: XCTestCase {
  func testLastBinHoldsTheUpperEdgeAndOutliersAreDropped() {
    let h = HistogramSeries(name: "d", values: [0, 0.5, 1, 1, 2, 7, .nan], bins: 2, range: 0...2)
    XCTAssertEqual(h.edges, [0, 1, 2])
    XCTAssertEqual(h.counts, [2, 3])
  }

  func testRangeDefaultsToTheValuesExtent() {
    let h = HistogramSeries(name: "d", values: [2, 4, 6, 8], bins: 3)
    XCTAssertEqual(h.edges.first, 2)
    XCTAssertEqual(h.edges.last, 8)
    XCTAssertEqual(h.counts, [1, 1, 2])
  }
}
