import Foundation
import Graph
import XCTest

/// The text `workbench inspect model` prints for a definition.
final class ModelInspectorTests: XCTestCase {
  func testInspectingAZooModelShowsOutputsAndTotals() throws {
    let text = try ModelInspector.summary(
      ofDefinition: "tiny-yolo", options: BuildOptions(resolution: 320.0 / 224), diagram: .mermaid)
    XCTAssertTrue(text.contains("Inputs: image [1, 3, 320, 320]"), text)
    XCTAssertTrue(
      text.contains("Outputs: yolo32 [1, 75, 10, 10] (yolo, 20 classes, stride 32, anchors 63×63 104×130 264×246)"),
      text)
    XCTAssertTrue(text.contains("Multipliers: width 1.0, depth 1.0, resolution 1.4285714285714286"), text)
    XCTAssertTrue(text.contains("flowchart TD"), text)
  }
}
