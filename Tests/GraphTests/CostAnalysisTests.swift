import Graph
import XCTest

/// Per-layer costs, peak activation memory of the sequential schedule, and the text table.
final class CostAnalysisTests: XCTestCase {
  /// x(3×8×8) → conv a(4×8×8) → conv b(4×8×8) → add(a, b) → pool(4×4×4)
  private func diamond() throws -> ModelGraph {
    var builder = GraphBuilder(name: "diamond")
    let x = builder.input("x", shape: [1, 3, 8, 8])
    let a = try builder.add(
      .conv, "a", [x], ["outChannels": .int(4), "kernel": .ints([3, 3]), "padding": .ints([1, 1, 1, 1])])
    let b = try builder.add(.conv, "b", [a], ["outChannels": .int(4), "kernel": .ints([1, 1]), "bias": .bool(false)])
    let s = try builder.add(.add, "s", [a, b])
    builder.output(try builder.add(.maxPool, "p", [s], ["kernel": .ints([2, 2]), "stride": .ints([2, 2])]))
    return try builder.finish()
  }

  func testPerLayerCostsAndTotalsHaveHandValues() throws {
    let report = try CostAnalysis.analyze(try diamond())
    XCTAssertEqual(report.layers.map(\.parameters), [4 * 3 * 9 + 4, 16, 0, 0])
    XCTAssertEqual(report.layers.map(\.macs), [4 * 64 * 27, 4 * 64 * 4, 0, 0])
    XCTAssertEqual(report.layers.map(\.activationBytes), [1024, 1024, 1024, 256])
    XCTAssertEqual(report.totalParameters, 128)
    XCTAssertEqual(report.totalMACs, 7936)
    XCTAssertEqual(report.inputBytes, 768)
  }

  func testPeakActivationMemoryFollowsLiveness() throws {
    // During b: x is dead (last read by a), a is still needed by s, b is produced: 2048 bytes.
    // During s: a + b + s = 3072 bytes, the peak. During p: s + p = 1280.
    // During a: x + a = 1792.
    let report = try CostAnalysis.analyze(try diamond())
    XCTAssertEqual(report.peakActivationBytes, 3072)
    XCTAssertEqual(report.peakNode, "s")
  }

  func testTheTextTableListsEveryNodeAndTheTotals() throws {
    let text = try CostAnalysis.analyze(try ModelZoo.graph("squeezenet1.1")).renderText()
    XCTAssertTrue(text.contains("fire9_expand3x3"))
    XCTAssertTrue(text.contains("1,235,496"), text)
    XCTAssertTrue(text.contains("349,151,936"), text)
    XCTAssertTrue(text.contains("peak activation memory (sequential schedule):"), text)
    let diamond = try CostAnalysis.analyze(try diamond()).renderText()
    XCTAssertEqual(
      diamond.components(separatedBy: "\n").prefix(4).joined(separator: "\n"),
      """
      Model diamond: per-sample costs (MACs of conv and dense layers; float32 activations)

      node   op       output  params   MACs  act. bytes
      -----  -------  ------  ------  -----  ----------
      """)
    XCTAssertTrue(diamond.contains("a      Conv     4×8×8      112  6,912       1,024"), diamond)
  }

  func testFoldingBatchNormGivesThePaperSizeOfTheReidModel() throws {
    // The deployed GAP8 model: 719,555 weights + 2,947 biases (derived from FaceReID's layer tables).
    let folded = try FoldBatchNorm.run(try ModelZoo.graph("squeezenet1.1-reid"))
    let report = try CostAnalysis.analyze(folded)
    XCTAssertEqual(report.totalParameters, 722_502)
    XCTAssertEqual(report.totalBuffers, 0)
    XCTAssertEqual(report.totalMACs, 80_140_992)
    print(
      "squeezenet1.1-reid folded: \(report.totalParameters) parameters, \(report.totalMACs) MACs, peak \(report.peakActivationBytes) B at \(report.peakNode)"
    )
  }
}
