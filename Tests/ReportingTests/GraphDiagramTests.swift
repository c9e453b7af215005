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
}
