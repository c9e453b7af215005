import BenchProtocol
import XCTest

/// Other load of a window from two snapshots, and the verdict on a comparison's windows
/// (numbers worked by hand in the comments).
final class LoadAccountingTests: XCTestCase {
  func snapshot(busy: Int, steal: Int, total: Int, child: Int, driver: Double) -> LoadSnapshot {
    LoadSnapshot(
      system: SystemCPUSnapshot(busy: busy, steal: steal, total: total, cores: 2), childTicks: child,
      selfTicks: driver, loadAverage: 1.5)
  }

  func testOthersAreBusyTicksNeitherTheChildNorTheDriverUsedPerTickOfTheWindow() {
    // Δtotal 400 over 2 cores: the window lasted 200 ticks. Δbusy 300, child 150, driver 0.5:
    // others (300 − 150 − 0.5) / 200 = 0.7475 cores; steal 20 / 200 = 0.1; child 150 / 200 = 0.75.
    let load = WindowLoad(
      from: snapshot(busy: 1000, steal: 10, total: 5000, child: 100, driver: 2),
      to: snapshot(busy: 1300, steal: 30, total: 5400, child: 250, driver: 2.5))
    XCTAssertEqual(load.otherCores, 0.7475, accuracy: 1e-12)
    XCTAssertEqual(load.stealCores, 0.1, accuracy: 1e-12)
    XCTAssertEqual(load.childCores, 0.75, accuracy: 1e-12)
    XCTAssertEqual(load.contention, 0.8475, accuracy: 1e-12)
    XCTAssertEqual(load.loadAverage, 1.5)
    XCTAssertEqual(load.text, "on 0.75 cores; others 0.75, steal 0.10, load 1.50")
  }

  func testTickRoundingThatMakesOthersNegativeCountsAsNoLoad() {
    // the child's own counter ran 4 ticks ahead of the system's: −4 / 200 → 0
    let load = WindowLoad(
      from: snapshot(busy: 0, steal: 0, total: 0, child: 0, driver: 0),
      to: snapshot(busy: 396, steal: 0, total: 400, child: 400, driver: 0))
    XCTAssertEqual(load.otherCores, 0)
    XCTAssertEqual(load.childCores, 2)
  }

  func testAWindowShorterThanATickPerCoreCountsAsFullyLoaded() {
    let load = WindowLoad(
      from: snapshot(busy: 0, steal: 0, total: 0, child: 0, driver: 0),
      to: snapshot(busy: 1, steal: 0, total: 1, child: 0, driver: 0))
    XCTAssertEqual(load.otherCores, 2)
  }

  func load(_ others: Double, steal: Double = 0) -> WindowLoad {
    WindowLoad(otherCores: others, stealCores: steal, childCores: 2, loadAverage: nil)
  }

  func testTheVerdictWithholdsTheRatioWhenAnyWindowExceedsTheThreshold() {
    let policy = LoadPolicy(maxOtherCores: 0.25)
    let quiet = policy.verdict([load(0.1), load(0.25), load(0.05, steal: 0.1)])
    XCTAssertTrue(quiet.reliable)
    XCTAssertNil(quiet.reason)
    XCTAssertEqual(quiet.worst, 0.25)
    // 0.2 others + 0.1 steal = 0.3 > 0.25: steal counts, since those cycles were not ours either
    let loaded = policy.verdict([load(0.1), load(0.2, steal: 0.1), load(1.2)])
    XCTAssertFalse(loaded.reliable)
    XCTAssertEqual(loaded.loadedWindows, 2)
    XCTAssertEqual(loaded.worst, 1.2)
    XCTAssertEqual(
      loaded.reason,
      "other processes used more than 0.25 core in 2 of 3 measurements (up to 1.20 cores), so the ratio would "
        + "measure contention, not speed; rerun on a quiet machine")
    XCTAssertFalse(policy.verdict([]).reliable)
  }

  func testMedianAndBest() {
    XCTAssertEqual(median([3, 1, 2]), 2)
    XCTAssertEqual(median([4, 1, 3, 2]), 2.5)
    XCTAssertTrue(median([]).isNaN)
    let s = RateSummary([500, 640, 610, 300])
    XCTAssertEqual(s.best, 640)
    XCTAssertEqual(s.median, 555)
    XCTAssertEqual(s.count, 4)
  }
}
