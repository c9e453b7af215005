import Foundation
import XCTest

@testable import Charts

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class SVGRendererTests: XCTestCase {
  func testLineChartHasAxesTicksLegendAndParsesAsXML() throws {
    let svg = SVGRenderer.render(ChartLayout.layout(ChartFixtures.lossChart))
    let document = try XMLDocument(data: Data(svg.utf8))
    let root = try XCTUnwrap(document.rootElement())
    XCTAssertEqual(root.name, "svg")
    func texts(_ role: String) throws -> [String] {
      try root.nodes(forXPath: "//*[local-name()='text'][@class='\(role)']").compactMap(\.stringValue)
    }
    XCTAssertEqual(try texts("legend"), ["box", "cls"])
    XCTAssertEqual(try texts("axis-label"), ["epoch", "loss"])
    XCTAssertEqual(try texts("title"), ["Training loss"])
    let ticks = try texts("tick")
    XCTAssertTrue(ticks.contains("0.2"), "y ticks: \(ticks)")
    XCTAssertTrue(ticks.contains("2"), "x ticks: \(ticks)")
    let axes = try root.nodes(forXPath: "//*[local-name()='polyline'][@class='axis']")
    XCTAssertEqual(axes.count, 1)
    let marks = try root.nodes(forXPath: "//*[local-name()='polyline'][@class='mark']")
    XCTAssertEqual(marks.count, 2)
  }

  func testStepSeriesDoublesItsVertices() throws {
    let scene = ChartLayout.layout(ChartFixtures.lossChart)
    let marks = scene.items.compactMap { item -> [Point]? in
      if case .polyline(let points, _, _, _, .mark) = item { return points }
      return nil
    }
    XCTAssertEqual(marks.map(\.count), [4, 7])
  }

  func testTextIsEscaped() throws {
    let chart = Chart(
      title: "a & b",
      content: .bars(
        BarData(categories: ["<script>alert(1)</script>"], series: [BarSeries(name: "\"q\"", values: [3])])),
      showsLegend: true)
    let svg = SVGRenderer.render(ChartLayout.layout(chart))
    XCTAssertFalse(svg.contains("<script>"))
    XCTAssertTrue(svg.contains("&lt;script&gt;"))
    XCTAssertTrue(svg.contains("a &amp; b"))
    XCTAssertTrue(svg.contains("&quot;q&quot;"))
    XCTAssertNoThrow(try XMLDocument(data: Data(svg.utf8)))
  }

  func testHeatmapWritesCellValuesAndLabels() throws {
    let chart = Chart(
      title: "Confusion", width: 400, height: 400, xAxis: Axis(label: "predicted"), yAxis: Axis(label: "true"),
      content: .heatmap(
        Heatmap(rowLabels: ["circle", "square"], columnLabels: ["circle", "square"], values: [[17, 3], [0, 20]])))
    let svg = SVGRenderer.render(ChartLayout.layout(chart))
    let root = try XCTUnwrap(XMLDocument(data: Data(svg.utf8)).rootElement())
    let values = try root.nodes(forXPath: "//*[local-name()='text'][@class='annotation']").compactMap(\.stringValue)
    XCTAssertEqual(values, ["17", "3", "0", "20"])
    let cells = try root.nodes(forXPath: "//*[local-name()='rect'][@class='mark']")
    XCTAssertEqual(cells.count, 4)
    // The largest value gets the darkest colour.
    XCTAssertTrue(svg.contains("fill=\"#08306b\""))
  }

  func testHistogramDrawsOneBarPerNonEmptyBin() throws {
    let chart = Chart(
      title: "d",
      content: .histogram([
        HistogramSeries(name: "same", edges: [0, 1, 2, 3], counts: [4, 0, 1]),
        HistogramSeries(name: "different", edges: [0, 1, 2, 3], counts: [0, 2, 5]),
      ]))
    let scene = ChartLayout.layout(chart)
    let bars = scene.items.filter {
      if case .rect(_, _, _, _, .mark) = $0 { return true }
      return false
    }
    XCTAssertEqual(bars.count, 4)
  }

  func testIntegerAxisTicksAreWholeNumbers() {
    let chart = Chart(
      title: "lr", xAxis: Axis(label: "epoch", integerTicks: true),
      content: .xy([Series(name: "lr", x: [1, 2, 3], y: [0.1, 0.05, 0.01])]))
    let ticks = ChartLayout.layout(chart).items.compactMap { item -> String? in
      if case .text(let t, let at, _, .middle, _, _, _, .tick) = item, at.y > 300 { return t }
      return nil
    }
    XCTAssertEqual(ticks, ["1", "2", "3"])
  }

  func testSinglePointLineIsDrawnAsAMarker() {
    let chart = Chart(title: "one", content: .xy([Series(name: "b", x: [1], y: [3.5])]))
    let marks = ChartLayout.layout(chart).items.filter {
      if case .circle(_, _, _, .mark) = $0 { return true }
      return false
    }
    XCTAssertEqual(marks.count, 1)
  }
}
