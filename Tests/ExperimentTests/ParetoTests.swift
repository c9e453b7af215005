import Support
import Tensors
import XCTest

@testable import Experiment

/// The Pareto front against a brute-force reference, and the ranking of sweep results.
final class ParetoTests: XCTestCase {
  /// The definition, written out: i is on the front when no j is at least as good everywhere
  /// and better somewhere.
  func bruteForce(_ p: [[Double]], _ dirs: [SweepSpec.Direction]) -> [Int] {
    p.indices.filter { i in
      !p.indices.contains { j in
        var geAll = true, gtAny = false
        for k in dirs.indices {
          let better = dirs[k] == .max ? p[j][k] - p[i][k] : p[i][k] - p[j][k]
          if better < 0 { geAll = false }
          if better > 0 { gtAny = true }
        }
        return j != i && geAll && gtAny
      }
    }
  }

  func testHandCase() {
    // maximise accuracy, minimise latency
    let p: [[Double]] = [[0.9, 10], [0.8, 5], [0.85, 12], [0.9, 10], [0.7, 5], [0.95, 20]]
    // [0.85, 12] is dominated by [0.9, 10]; [0.7, 5] by [0.8, 5]; the two equal points both stay
    XCTAssertEqual(Pareto.front(p, directions: [.max, .min]), [0, 1, 3, 5])
    XCTAssertEqual(Pareto.front(p, directions: [.max, .max]), [5])
    XCTAssertEqual(Pareto.front([], directions: [.max]), [])
  }

  func testMatchesBruteForceOnRandomPointsWithTies() {
    var rng = RandomStream(seed: 16)
    for trial in 0..<300 {
      let n = 1 + rng.nextInt(below: 30), m = 1 + rng.nextInt(below: 3)
      let dirs = (0..<m).map { _ in rng.nextInt(below: 2) == 0 ? SweepSpec.Direction.max : .min }
      // few distinct values, so ties and duplicates are common
      let levels = 2 + rng.nextInt(below: 5)
      let p = (0..<n).map { _ in (0..<m).map { _ in Double(rng.nextInt(below: levels)) / 4 } }
      XCTAssertEqual(Pareto.front(p, directions: dirs), bruteForce(p, dirs), "case \(trial): \(p) \(dirs)")
    }
  }

  func testRankSkipsFailedAndInfeasibleTrials() {
    func t(_ id: String, _ status: String, _ acc: Double?, _ lat: Double?, feasible: Bool = true) -> SweepResults.Trial
    {
      var o: [String: Double] = [:]
      o["float.accuracy"] = acc
      o["k.latency"] = lat
      return .init(
        id: id, index: 0, settings: [:], status: status, reused: false, failedStage: nil, error: nil, objectives: o,
        feasible: feasible, runFolder: nil)
    }
    var r = SweepResults(
      sweep: "s", sweepId: "x", base: "b", search: "grid",
      objectives: [.init(metric: "float.accuracy", direction: .max), .init(metric: "k.latency", direction: .min)],
      constraints: [],
      trials: [
        t("a", "succeeded", 0.8, 5), t("b", "succeeded", 0.9, 9), t("c", "failed", 0.99, 1),
        t("d", "succeeded", 0.95, 1, feasible: false), t("e", "succeeded", 0.85, 9), t("f", "succeeded", 0.9, 5),
        t("g", "succeeded", nil, 1),
      ], pareto: [], best: [:])
    r.rank()
    // among a, b, e, f: f dominates b and e; a and f tie on latency, f is more accurate
    XCTAssertEqual(r.pareto, ["f"])
    XCTAssertEqual(r.best, ["float.accuracy": "b", "k.latency": "a"])
  }
}
