import XCTest

@testable import Training

/// Schedules at hand-computed points (base rate 1, progress in epochs).
final class LearningRateScheduleTests: XCTestCase {
  func lr(_ s: LearningRateSchedule, _ t: Double) -> Double { s.learningRate(base: 1, at: t) }

  func testConstantAndStep() {
    XCTAssertEqual(lr(.constant, 7.3), 1)
    let step = LearningRateSchedule.step(stepEpochs: 2, gamma: 0.1)
    XCTAssertEqual(lr(step, 1.9), 1)
    XCTAssertEqual(lr(step, 2), 0.1, accuracy: 1e-15)
    XCTAssertEqual(lr(step, 4.5), 0.01, accuracy: 1e-15)
  }

  func testMultiStep() {
    let s = LearningRateSchedule.multiStep(milestones: [3, 5], gamma: 0.5)
    XCTAssertEqual([2.9, 3, 4.99, 5, 9].map { lr(s, $0) }, [1, 0.5, 0.5, 0.25, 0.25])
  }

  func testCosineWithWarmup() {
    let s = LearningRateSchedule.cosine(warmupEpochs: 1, totalEpochs: 5, warmupStartFactor: 0.1, minFactor: 0)
    XCTAssertEqual(lr(s, 0), 0.1, accuracy: 1e-12)
    XCTAssertEqual(lr(s, 0.5), 0.55, accuracy: 1e-12)  // linear: 0.1 + 0.9·0.5
    XCTAssertEqual(lr(s, 1), 1, accuracy: 1e-12)
    XCTAssertEqual(lr(s, 2), 0.85355339, accuracy: 1e-8)  // ½(1 + cos(π/4))
    XCTAssertEqual(lr(s, 3), 0.5, accuracy: 1e-12)
    XCTAssertEqual(lr(s, 5), 0, accuracy: 1e-12)
  }

  func testOneCycle() {
    let s = LearningRateSchedule.oneCycle(totalEpochs: 10, pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4)
    XCTAssertEqual(lr(s, 0), 0.04, accuracy: 1e-12)  // max / 25
    XCTAssertEqual(lr(s, 1.5), 0.52, accuracy: 1e-12)  // halfway up: (0.04 + 1) / 2
    XCTAssertEqual(lr(s, 3), 1, accuracy: 1e-12)
    XCTAssertEqual(lr(s, 6.5), 0.500002, accuracy: 1e-12)  // halfway down to 4e-6
    XCTAssertEqual(lr(s, 10), 4e-6, accuracy: 1e-15)
  }
}
