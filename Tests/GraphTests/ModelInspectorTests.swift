import Foundation
import Graph
import XCTest

/// The text `workbench inspect model` prints.
final class ModelInspectorTests: XCTestCase {
  func testInspectingAZooModelShowsOutputsAndTotals() throws {
    let text = try ModelInspector.summary(of: "tiny-yolo", options: BuildOptions(resolution: 320.0 / 224), diagram: .mermaid)
    XCTAssertTrue(text.contains("Inputs: image [1, 3, 320, 320]"), text)
    XCTAssertTrue(text.contains("Outputs: yolo32 [1, 75, 10, 10] (yolo, 20 classes, stride 32, anchors 63×63 104×130 264×246)"), text)
    XCTAssertTrue(text.contains("Multipliers: width 1.0, depth 1.0, resolution 1.4285714285714286"), text)
    XCTAssertTrue(text.contains("flowchart TD"), text)
  }

  func testInspectingAWeightFileUsesItsStoredGraph() throws {
    let dir = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let graph = Fixtures.withValues(try Fixtures.everyOp())
    try WeightFile.save(graph, to: dir + "/w.h5")
    let text = try ModelInspector.summary(of: dir + "/w.h5")
    XCTAssertTrue(text.hasPrefix("Weights \(dir)/w.h5: graph 'every-op' with 13 stored tensors"), text)
    XCTAssertTrue(text.contains("Outputs: out [1, 3, 2] (descriptor)"), text)
  }
}
