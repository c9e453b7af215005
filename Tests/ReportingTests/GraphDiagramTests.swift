import Charts
import Foundation
import XCTest

@testable import Reporting

final class GraphDiagramTests: XCTestCase {
  func testParsesGraphMermaidNodesEdgesAndLabels() throws {
    let text = try String(
      contentsOf: Fixtures.url("run").appendingPathComponent("stages/model/graph.mmd"), encoding: .utf8)
    // The reference: node definitions (`id[…]`) and edges (`a --> b`) read line by line from the text.
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.dropFirst()
    let edgeLines = lines.filter { $0.contains(" --> ") }
    let nodeLines = lines.filter { !$0.contains(" --> ") && $0.contains("[") }
    let ids = nodeLines.map { String($0.prefix { $0 != "[" }) }
    let terminalIds = nodeLines.filter { $0.contains("[/") }.map { String($0.prefix { $0 != "[" }) }
    let edgeIds = edgeLines.map { $0.components(separatedBy: " --> ") }
    XCTAssertEqual(ids.count, 42, "tiny-yolo: image, 39 layers, 2 outputs")
    XCTAssertEqual(edgeIds.count, 42)

    let diagram = try XCTUnwrap(GraphDiagram(mermaid: text))
    XCTAssertEqual(diagram.nodes.map(\.id), ids)
    XCTAssertEqual(diagram.nodes.filter(\.isTerminal).map(\.id), terminalIds)
    XCTAssertEqual(terminalIds, ["n_image", "n_output_yolo32", "n_output_yolo16"])
    XCTAssertEqual(diagram.edges.map { [diagram.nodes[$0.0].id, diagram.nodes[$0.1].id] }, edgeIds)
    // The first layer's box shows its name, op and output shape (C×H×W) as cost.json records them.
    let layers = try XCTUnwrap(Fixtures.object("run", "stages/model/cost.json")["layers"] as? [[String: Any]])
    let first = try XCTUnwrap(layers.first)
    let shape = try XCTUnwrap(first["output_shape"] as? [Int]).dropFirst().map(String.init).joined(separator: "×")
    XCTAssertEqual(diagram.nodes[1].lines, [try XCTUnwrap(first["name"] as? String), "Conv 3×3", shape])
    XCTAssertEqual(diagram.nodes[1].lines, ["conv1", "Conv 3×3", "8×64×64"])
    XCTAssertEqual(diagram.nodes[0].lines, ["image", "3×64×64"])

    let scene = try XCTUnwrap(diagram.scene(title: "g"))
    let boxes = scene.items.compactMap { item -> Double? in
      if case .rect(let r, _, _, _, _) = item { return r.y }
      return nil
    }
    XCTAssertEqual(boxes.count, ids.count)
    // The graph branches (two heads, a route and a merge), but every edge still points down.
    for (a, b) in diagram.edges {
      XCTAssertLessThan(boxes[a], boxes[b], "\(diagram.nodes[a].id) --> \(diagram.nodes[b].id) points up")
    }
  }

  func testQuotesAndBranchesAreUnderstood() throws {
    let diagram = try XCTUnwrap(
      GraphDiagram(mermaid: "graph TD\n a[\"say #quot;hi#quot;\"] --> b\n a --> c\n b --> d\n c --> d\n"))
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
