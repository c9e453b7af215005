import XCTest

@testable import Charts

/// Gantt bars land where their times say: a bar from 0 to 10 ms on a 0…20 ms axis spans half
/// the plot's width, rows stack top to bottom, and the legend names the categories.
final class GanttLayoutTests: XCTestCase {
  func testBarsAreScaledToTheTimeAxisAndRows() {
    let gantt = Gantt(
      rows: ["core 0", "KPU"], categories: ["pre", "model"],
      bars: [
        .init(row: 0, category: 0, start: 0, end: 10, label: "1"),
        .init(row: 1, category: 1, start: 10, end: 20, label: "1"),
      ])
    let scene = ChartLayout.layout(Chart(title: "g", width: 600, height: 200, content: .gantt(gantt)))
    let bars = scene.items.compactMap { item -> Rect? in
      if case .rect(let r, _, _, _, .mark) = item { return r }
      return nil
    }
    XCTAssertEqual(bars.count, 2)
    // same width (10 ms each), adjacent in time, the second row below the first
    XCTAssertEqual(bars[0].width, bars[1].width, accuracy: 1e-9)
    XCTAssertEqual(bars[0].x + bars[0].width, bars[1].x, accuracy: 1e-9)
    XCTAssertGreaterThan(bars[1].y, bars[0].y + bars[0].height)
    let texts = scene.items.compactMap { item -> String? in
      if case .text(let s, _, _, _, _, _, _, let role) = item, role == .legend || role == .tick { return s }
      return nil
    }
    for name in ["core 0", "KPU", "pre", "model", "0", "20"] {
      XCTAssertTrue(texts.contains(name), "\(name): \(texts)")
    }
  }
}
