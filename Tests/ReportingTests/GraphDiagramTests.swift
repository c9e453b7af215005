import Charts
import Foundation
import XCTest

@testable import Reporting

final class GraphDiagramTests: XCTestCase {
  func testParsesGraphMermaidNodesEdgesAndLabels() throws {
    let text = try String(contentsOf: Fixtures.url("run").appendingPathComponent("stages/model/graph.mmd"), encoding: .utf8)
    let diagram = try XCTUnwrap(GraphDiagram(mermaid: text))
    XCTAssertEqual(diagram.nodes.map(\.id), ["n_image", "n_conv1", "n_pool1", "n_conv2", "n_head"])
    XCTAssertEqual(diagram.nodes[0].isTerminal, true)
    XCTAssertEqual(diagram.nodes[1].lines, ["conv1", "Conv 3×3", "16×64×64"])
    XCTAssertEqual(diagram.edges.map { [$0.0, $0.1] }, [[0, 1], [1, 2], [2, 3], [3, 4]])
    let scene = try XCTUnwrap(diagram.scene(title: "g"))
    let boxes = scene.items.compactMap { item -> Double? in
      if case .rect(let r, _, _, _, _) = item { return r.y }
      return nil
    }
    XCTAssertEqual(boxes.count, 5)
    XCTAssertEqual(boxes, boxes.sorted(), "a chain is drawn top to bottom")
  }

  func testQuotesAndBranchesAreUnderstood() throws {
    let diagram = try XCTUnwrap(GraphDiagram(mermaid: "graph TD\n a[\"say #quot;hi#quot;\"] --> b\n a --> c\n b --> d\n c --> d\n"))
    XCTAssertEqual(diagram.nodes.map(\.id), ["a", "b", "c", "d"])
    XCTAssertEqual(diagram.nodes[0].lines, ["say \"hi\""])
    XCTAssertEqual(diagram.edges.count, 4)
    XCTAssertNil(GraphDiagram(mermaid: "flowchart TD\n"))
  }

  func testSkipConnectionsRunInALaneBesideTheBoxes() throws {
    let diagram = try XCTUnwrap(GraphDiagram(mermaid: "flowchart TD\n a --> b\n b --> c\n a --> c\n"))
    let scene = try XCTUnwrap(diagram.scene(title: "g"))
    let boxes = scene.items.compactMap { item -> Rect? in
      if case .rect(let r, _, _, _, _) = item { return r }
      return nil
    }
    let lines = scene.items.compactMap { item -> [Point]? in
      if case .polyline(let points, _, _, _, _) = item, points.count == 6 { return points }
      return nil
    }
    XCTAssertEqual(lines.count, 1, "only a → c skips a layer")
    let laneX = lines[0][2].x
    XCTAssertTrue(boxes.allSatisfy { laneX > $0.x + $0.width }, "the lane is right of every box")
    // Horizontal runs lie between rows: below a (row 0) and above c (row 2), outside every box.
    for y in [lines[0][1].y, lines[0][4].y] {
      XCTAssertTrue(boxes.allSatisfy { y < $0.y || y > $0.y + $0.height }, "horizontal run at y = \(y) crosses a box")
    }
    XCTAssertLessThanOrEqual(laneX, scene.width)
  }
}
