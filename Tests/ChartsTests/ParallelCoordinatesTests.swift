import Foundation
import XCTest

@testable import Charts

/// Parallel coordinates: where values sit on linear, log and categorical axes (hand-computed),
/// where the axes and each item's line land in the scene, and that both renderers draw it.
final class ParallelCoordinatesTests: XCTestCase {
  func testLinearAxisFractionsOverTheNiceRange() throws {
    // 3…17: Heckbert with 5 ticks: range nice(14) = 20, step nice(20/4 = 5) = 5, bounds 0…20
    let d = ParallelCoordinates.Dimension(name: "a", scale: .linear, values: [3, 17])
    XCTAssertEqual(d.domain.lower, 0)
    XCTAssertEqual(d.domain.upper, 20)
    XCTAssertEqual(try XCTUnwrap(d.fraction(3)), 0.15, accuracy: 1e-12)
    XCTAssertEqual(try XCTUnwrap(d.fraction(17)), 0.85, accuracy: 1e-12)
    XCTAssertEqual(d.ticks.map(\.value), [0, 5, 10, 15, 20])
    var inverted = d
    inverted.inverted = true
    XCTAssertEqual(try XCTUnwrap(inverted.fraction(3)), 0.85, accuracy: 1e-12)
    XCTAssertNil(d.fraction(.nan))
  }

  func testLogAxisSpansWholeDecades() throws {
    // 2e-4…3e-3: log10 −3.70…−2.52, widened to the decades −4…−2
    let d = ParallelCoordinates.Dimension(name: "lr", scale: .log, values: [2e-4, 3e-3])
    XCTAssertEqual(d.domain.lower, -4)
    XCTAssertEqual(d.domain.upper, -2)
    XCTAssertEqual(try XCTUnwrap(d.fraction(1e-3)), 0.5, accuracy: 1e-12)
    // (log10 2e-4 + 4) / 2 = log10(2) / 2
    XCTAssertEqual(try XCTUnwrap(d.fraction(2e-4)), 0.301_029_995_663_981_2 / 2, accuracy: 1e-12)
    XCTAssertNil(d.fraction(0))
    // two decades: ticks at 1, 2 and 5 of each
    XCTAssertEqual(d.ticks.count, 7)
    XCTAssertEqual(d.ticks.first?.value ?? 0, 1e-4, accuracy: 1e-18)
    XCTAssertEqual(d.ticks.last?.value ?? 0, 1e-2, accuracy: 1e-15)
    // a single value on a power of ten still gets two decades
    let one = ParallelCoordinates.Dimension(name: "x", scale: .log, values: [10])
    XCTAssertEqual(one.domain.lower, 0)
    XCTAssertEqual(one.domain.upper, 2)
  }

  func testCategoricalLevelsSitInTheMiddleOfEqualBands() throws {
    let d = ParallelCoordinates.Dimension(name: "size", scale: .categorical(["64", "96", "128"]), values: [0, 1, 2])
    XCTAssertEqual(try XCTUnwrap(d.fraction(0)), 1.0 / 6, accuracy: 1e-12)
    XCTAssertEqual(try XCTUnwrap(d.fraction(1)), 0.5, accuracy: 1e-12)
    XCTAssertEqual(try XCTUnwrap(d.fraction(2)), 5.0 / 6, accuracy: 1e-12)
    XCTAssertNil(d.fraction(3))
    XCTAssertNil(d.fraction(0.5))
    XCTAssertEqual(d.ticks.map(\.label), ["64", "96", "128"])
  }

  func testAxisPositionsAreEvenlySpread() {
    let plot = Rect(x: 10, y: 0, width: 300, height: 100)
    XCTAssertEqual(ChartLayout.axisPositions(4, in: plot), [10, 110, 210, 310])
    XCTAssertEqual(ChartLayout.axisPositions(1, in: plot), [160])
  }

  /// Item 0 crosses the three axes at the hand-computed heights (a: 3 on 0…20; b: level 1 of 2;
  /// c: 1e-3 at the top of the decade −4…−3); item 1 misses the middle value
  /// so its line breaks into two dots; the highlighted item is drawn last, in the accent colour.
  func testLinesCrossTheAxesAtTheirValues() throws {
    let pc = ParallelCoordinates(
      dimensions: [
        .init(name: "a", scale: .linear, values: [3, 17]),
        .init(name: "b", scale: .categorical(["x", "y"]), values: [1, .nan]),
        .init(name: "c", scale: .log, values: [1e-3, 2e-4]),
      ], highlighted: [true, false], itemName: "trials", highlightName: "front")
    let chart = Chart(title: "pc", width: 700, height: 360, content: .parallelCoordinates(pc), showsLegend: true)
    let scene = ChartLayout.layout(chart)
    let legend = ChartLayout.legendWidth([
      .init(name: "trials", color: .ink, dash: [], isLine: true),
      .init(name: "front", color: .ink, dash: [], isLine: true),
    ])
    let plot = ChartLayout.parallelPlot(chart, pc, legendWidth: legend)
    let xs = ChartLayout.axisPositions(3, in: plot)
    func y(_ f: Double) -> Double { plot.y + plot.height * (1 - f) }
    let lines = scene.items.compactMap { item -> ([Point], ChartColor)? in
      if case .polyline(let p, let c, _, _, .mark) = item { return (p, c) }
      return nil
    }
    XCTAssertEqual(lines.count, 1)
    let expected = [Point(xs[0], y(0.15)), Point(xs[1], y(0.75)), Point(xs[2], y(1))]
    for (p, e) in zip(lines[0].0, expected) {
      XCTAssertEqual(p.x, e.x, accuracy: 1e-9)
      XCTAssertEqual(p.y, e.y, accuracy: 1e-9)
    }
    XCTAssertEqual(lines[0].1, Palette.color(1))
    let dots = scene.items.compactMap { item -> Point? in
      if case .circle(let c, _, _, .mark) = item { return c }
      return nil
    }
    XCTAssertEqual(dots.count, 2)
    XCTAssertEqual(dots[0].y, y(0.85), accuracy: 1e-9)
    XCTAssertEqual(dots[1].x, xs[2], accuracy: 1e-9)
    XCTAssertEqual(dots[1].y, y(0.301_029_995_663_981_2), accuracy: 1e-9)
    // the highlighted line comes after the plain item's marks
    let markIndices = scene.items.indices.filter {
      if case .polyline(_, _, _, _, .mark) = scene.items[$0] { return true }
      return false
    }
    let dotIndices = scene.items.indices.filter {
      if case .circle(_, _, _, .mark) = scene.items[$0] { return true }
      return false
    }
    XCTAssertGreaterThan(markIndices[0], dotIndices.max() ?? 0)
    let axes = scene.items.compactMap { item -> Double? in
      if case .polyline(let p, _, _, _, .axis) = item { return p[0].x }
      return nil
    }
    XCTAssertEqual(axes, xs)

    let svg = SVGRenderer.render(scene)
    for text in [">a</text>", ">y</text>", ">front</text>", ">0.001</text>"] {
      XCTAssertTrue(svg.contains(text), text)
    }
    let png = try PNGRenderer.render(scene, scale: 1)
    XCTAssertEqual(Array(png.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
  }
}
