import Foundation
import Graph
import GraphFixtures
import GraphHDF5
import XCTest

/// The text `workbench inspect model` prints for a weight file, and that names still reach
/// definitions.
final class ModelInspectorWeightFileTests: XCTestCase {
  func testInspectingAWeightFileUsesItsStoredGraph() throws {
    let dir = try Fixtures.temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let graph = Fixtures.withValues(try Fixtures.everyOp())
    try WeightFile.save(graph, to: dir + "/w.h5")
    let text = try ModelInspector.summary(of: dir + "/w.h5")
    XCTAssertTrue(text.hasPrefix("Weights \(dir)/w.h5: graph 'every-op' with 13 stored tensors"), text)
    XCTAssertTrue(text.contains("Outputs: out [1, 3, 2] (descriptor)"), text)
  }

  func testAZooNameIsInspectedAsADefinition() throws {
    let options = BuildOptions(resolution: 320.0 / 224)
    XCTAssertEqual(
      try ModelInspector.summary(of: "tiny-yolo", options: options),
      try ModelInspector.summary(ofDefinition: "tiny-yolo", options: options))
  }
}
