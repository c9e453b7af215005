import BenchProtocol
import XCTest

/// Alternation, ratio of bests and the printed verdict of a comparison, from hand-made reports.
final class ComparisonTests: XCTestCase {
  func report(_ side: String, train: Double, others: Double) -> WorkerReport {
    var r = WorkerReport(side: side)
    r.measurements = [
      RateMeasurement(
        kind: "train", imagesPerSecond: train,
        load: WindowLoad(otherCores: others, stealCores: 0, childCores: 2, loadAverage: 2))
    ]
    return r
  }

  func comparison(loadedRound: Int? = nil) -> Comparison {
    let ours = [600.0, 640, 610].enumerated().map {
      report("Workbench", train: $1, others: $0 == loadedRound ? 1.1 : 0.05)
    }
    let theirs = [560.0, 500, 540].map { report("PyTorch", train: $0, others: 0.1) }
    return Comparison(reports: [ours, theirs], names: ["Workbench", "PyTorch"])
  }

  func testWhoGoesFirstAlternates() {
    XCTAssertEqual(Comparison.order(round: 0, sides: 2), [0, 1])
    XCTAssertEqual(Comparison.order(round: 1, sides: 2), [1, 0])
    XCTAssertEqual(Comparison.order(round: 4, sides: 2), [0, 1])
  }

  func testAQuietComparisonStatesTheRatioOfBests() {
    let c = comparison()
    // bests 640 and 560: 640 / 560 = 1.142857…
    guard case .ratio(let r) = c.ratio("train", policy: LoadPolicy()) else { return XCTFail("no ratio") }
    XCTAssertEqual(r, 8.0 / 7.0, accuracy: 1e-12)
    let lines = c.lines("train", policy: LoadPolicy())
    XCTAssertEqual(lines.count, 3 + 2 + 1)
    XCTAssertTrue(lines[1].hasPrefix("    round 2: PyTorch 500.0"), lines[1])
    XCTAssertEqual(lines[3], "  Workbench best 640.0, median 610.0 images/s (3 rounds)")
    XCTAssertEqual(lines[4], "  PyTorch   best 560.0, median 540.0 images/s (3 rounds)")
    XCTAssertEqual(lines[5], "  ratio of bests Workbench / PyTorch: 1.14×")
  }

  func testOneLoadedWindowWithholdsTheRatio() {
    let c = comparison(loadedRound: 2)
    XCTAssertTrue(c.ratio("train", policy: LoadPolicy()).isUnreliable)
    let lines = c.lines("train", policy: LoadPolicy())
    XCTAssertTrue(
      lines[2].contains("(on 2.00 cores; others 1.10, steal 0.00, load 2.00) LOADED; then PyTorch"), lines[2])
    XCTAssertTrue(lines[5].hasPrefix("  UNRELIABLE, no ratio: other processes used more than 0.25 core in 1 of 6"))
    XCTAssertFalse(lines.joined().contains("ratio of bests"))
    // a looser policy accepts the same run
    guard case .ratio = c.ratio("train", policy: LoadPolicy(maxOtherCores: 1.5)) else { return XCTFail() }
  }

  func testAMissingSideIsUnmeasuredNotUnreliable() {
    var c = comparison()
    c.reports[1] = []
    c.failures[1] = "the PyTorch worker failed: import torch failed"
    XCTAssertEqual(
      c.ratio("train", policy: LoadPolicy()),
      .unmeasured("PyTorch was not measured (the PyTorch worker failed: import torch failed)"))
    XCTAssertEqual(
      c.lines("train", policy: LoadPolicy()).last,
      "  no ratio: PyTorch was not measured (the PyTorch worker failed: import torch failed)")
  }
}
