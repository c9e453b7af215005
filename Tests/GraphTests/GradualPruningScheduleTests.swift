import Graph
import XCTest

/// The automated gradual pruning schedule (Zhu & Gupta 2017, eq. 1) against hand-computed values.
final class GradualPruningScheduleTests: XCTestCase {
  func testTheCubicScheduleByHand() {
    let s = GradualPruningSchedule(finalRatio: 0.5, steps: 4)
    // s_t = 0.5 − 0.5·(1 − t/4)³: 0, 0.5 − 0.5·27/64, 0.5 − 0.5/8, 0.5 − 0.5/64, 0.5.
    XCTAssertEqual(s.pruningSteps.map(\.step), [0, 1, 2, 3, 4])
    XCTAssertEqual(s.pruningSteps.map(\.ratio), [0, 0.2890625, 0.4375, 0.4921875, 0.5])
    XCTAssertEqual(s.ratio(at: 9), 0.5)
  }

  func testStartAndFrequency() {
    let s = GradualPruningSchedule(initialRatio: 0.1, finalRatio: 0.6, start: 2, steps: 5, frequency: 2)
    XCTAssertEqual(s.ratio(at: 0), 0.1)
    XCTAssertEqual(s.ratio(at: 4), 0.6 - 0.5 * 0.512, accuracy: 1e-12)  // (1 − 2/10)³ = 0.512
    XCTAssertEqual(s.pruningSteps.map(\.step), [2, 4, 6, 8, 10, 12])
    XCTAssertEqual(s.end, 12)
    XCTAssertEqual(s.ratio(at: 13), 0.6)
  }
}
