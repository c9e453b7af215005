import Graph
import XCTest

/// Mermaid and DOT renderings, snapshot-tested on a small graph.
final class RenderTests: XCTestCase {
  private func small() throws -> ModelGraph {
    var b = GraphBuilder(name: "fire")
    let x = b.input("image", shape: [1, 8, 16, 16])
    let s = try b.add(.conv, "squeeze", [x], ["outChannels": .int(4), "kernel": .ints([1, 1])])
    let e1 = try b.add(.conv, "e1", [s], ["outChannels": .int(8), "kernel": .ints([1, 1])])
    let e3 = try b.add(
      .conv, "e3", [s], ["outChannels": .int(8), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let cat = try b.add(.concat, "cat", [e1, e3])
    b.output(
      try b.add(
        .maxPool, "pool", [cat], ["kernel": .ints([3, 3]), "stride": .ints([2, 2]), "ceilMode": .bool(true)]),
      role: .descriptor)
    return try b.finish()
  }

  func testMermaidSnapshot() throws {
    XCTAssertEqual(
      try small().mermaid(),
      """
      flowchart TD
        n_image[/"image<br/>8×16×16"/]
        n_squeeze["squeeze<br/>Conv 1×1<br/>4×16×16"]
        n_e1["e1<br/>Conv 1×1<br/>8×16×16"]
        n_e3["e3<br/>Conv 3×3<br/>8×16×16"]
        n_cat["cat<br/>Concat<br/>16×16×16"]
        n_pool["pool<br/>MaxPool 3×3 /2<br/>16×8×8"]
        n_output_pool[/"pool (descriptor)<br/>16×8×8"/]
        n_image --> n_squeeze
        n_squeeze --> n_e1
        n_squeeze --> n_e3
        n_e1 --> n_cat
        n_e3 --> n_cat
        n_cat --> n_pool
        n_pool --> n_output_pool

      """)
  }

  func testDOTSnapshot() throws {
    XCTAssertEqual(
      try small().dot(),
      #"""
      digraph "fire" {
        rankdir=TB;
        node [shape=box, fontname="Helvetica"];
        "image" [shape=parallelogram, label="image\n8×16×16"];
        "squeeze" [label="squeeze\nConv 1×1\n4×16×16"];
        "e1" [label="e1\nConv 1×1\n8×16×16"];
        "e3" [label="e3\nConv 3×3\n8×16×16"];
        "cat" [label="cat\nConcat\n16×16×16"];
        "pool" [label="pool\nMaxPool 3×3 /2\n16×8×8"];
        "output:pool" [shape=parallelogram, label="pool (descriptor)\n16×8×8"];
        "image" -> "squeeze";
        "squeeze" -> "e1";
        "squeeze" -> "e3";
        "e1" -> "cat";
        "e3" -> "cat";
        "cat" -> "pool";
        "pool" -> "output:pool";
      }

      """#)
  }

  func testZooModelsRenderOneLinePerNodeAndEdge() throws {
    let graph = try ModelZoo.graph("tiny-yolo")
    let mermaid = try XCTUnwrap(graph.mermaid())
    XCTAssertTrue(mermaid.contains("n_yolo32[\"yolo32<br/>Conv 1×1<br/>75×7×7\"]"), mermaid)
    XCTAssertTrue(mermaid.contains("n_up_leaky --> n_merge") || mermaid.contains("n_up --> n_merge"), mermaid)
    let edges = graph.nodes.map(\.inputs.count).reduce(0, +) + graph.outputs.count
    XCTAssertEqual(graph.dot().components(separatedBy: " -> ").count - 1, edges)
  }
}
