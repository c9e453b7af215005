import Graph
import GraphFixtures
import Tensors
import XCTest

/// ChannelImportance: filter norms and BatchNorm scales summed over a group's members, by hand.
final class ChannelImportanceTests: XCTestCase {
  /// The residual fixture with c1's filter j filled with ±0.1·(j + 1), c2's with −(4 − j), and
  /// γ of bn1 and bn2 given.
  private func residual() throws -> (ModelGraph, ChannelGroup) {
    var graph = Fixtures.withValues(try Fixtures.residual())
    graph.parameters["c1.weight"]?.value = Tensor(shape: [4, 3, 3, 3]) { i in
      Float(i / 27 + 1) * 0.1 * (i % 2 == 0 ? 1 : -1)
    }
    graph.parameters["c2.weight"]?.value = Tensor(shape: [4, 4, 3, 3]) { i in -Float(4 - i / 36) }
    graph.parameters["bn1.weight"]?.value = Tensor(shape: [4], scalars: [0.5, -2, 0.1, 0])
    graph.parameters["bn2.weight"]?.value = Tensor(shape: [4], scalars: [1, 1, -1, 0.25])
    let group = try XCTUnwrap(try ChannelDependencies.analyze(graph).first { $0.id == "c1" })
    return (graph, group)
  }

  func testFilterNormsSumOverTheGroupsProducers() throws {
    let (graph, group) = try residual()
    // L1: c1's row j has 27 entries of 0.1·(j + 1), c2's row j 36 entries of (4 − j).
    let l1 = try ChannelImportance.filterNorm(graph, group, order: 1)
    for (j, expected) in [146.7, 113.4, 80.1, 46.8].enumerated() {
      XCTAssertEqual(Double(l1[j]), expected, accuracy: 1e-3)
    }
    // L2: √27·0.1·(j + 1) + √36·(4 − j).
    let l2 = try ChannelImportance.filterNorm(graph, group, order: 2)
    for j in 0..<4 {
      XCTAssertEqual(Double(l2[j]), 27.0.squareRoot() * 0.1 * Double(j + 1) + 6 * Double(4 - j), accuracy: 1e-4)
    }
  }

  func testBatchNormScaleSumsAbsoluteGammas() throws {
    let (graph, group) = try residual()
    XCTAssertEqual(try ChannelImportance.batchNormScale(graph, group), [1.5, 3, 1.1, 0.25])
  }

  func testAGroupWithoutBatchNormFallsBackToTheL1Norm() throws {
    let graph = Fixtures.withValues(try Fixtures.concatFlattenDense())
    let group = try XCTUnwrap(try ChannelDependencies.analyze(graph).first { $0.id == "a" })
    let w = try XCTUnwrap(graph.parameters["a.weight"]?.value)
    let byHand = (0..<3).map { j in (0..<18).map { abs(w.scalars[j * 18 + $0]) }.reduce(0, +) }
    XCTAssertEqual(try ChannelImportance.batchNormScale(graph, group), byHand)
  }

  func testMissingValuesAreNamed() throws {
    let graph = try Fixtures.residual()
    let group = try XCTUnwrap(try ChannelDependencies.analyze(graph).first { $0.id == "c1" })
    XCTAssertThrowsError(try ChannelImportance.filterNorm(graph, group, order: 1)) { error in
      XCTAssertEqual(
        "\(error)", "Parameter 'c1.weight' has no value; load the trained weights before ranking channels.")
    }
  }
}
