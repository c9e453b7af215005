import Support
import XCTest

@testable import Experiment

/// Hyperparameter importance against hand-computed variance decompositions.
final class SweepImportanceTests: XCTestCase {
  /// A succeeded trial with `settings` and objectives.
  static func trial(
    _ i: Int, _ settings: [String: JSONValue], _ objectives: [String: Double], status: String = "succeeded"
  )
    -> SweepResults.Trial
  {
    SweepResults.Trial(
      id: "t\(i)", index: i, settings: settings, status: status, reused: false, failedStage: nil, error: nil,
      objectives: objectives, feasible: true, runFolder: "trials/t\(i)/run")
  }

  static func results(
    search: String, space: [SweepResults.SpaceAxis]?, trials: [SweepResults.Trial],
    objectives: [String] = ["sum", "product"]
  ) -> SweepResults {
    var r = SweepResults(
      sweep: "s", sweepId: "id", base: "b.json", search: search,
      objectives: objectives.map { .init(metric: $0, direction: .max) }, constraints: [], trials: trials, pareto: [],
      best: [:], space: space)
    r.rank()
    return r
  }

  /// The 2×3 grid p ∈ {x, y} (a = 0, 2 or 1, 3) × q ∈ {0, 1, 5} (b).
  /// sum = a + b with a ∈ {0, 2}: Var(row means) = 1, Var(column means) = 14/3, total 17/3 (additive:
  /// no interaction), so the shares are 3/17 and 14/17.
  /// product = a·b with a ∈ {1, 3}: values 0 1 5 / 0 3 15, mean 4, total variance 164/6 = 82/3;
  /// row means 2, 6 → 4; column means 0, 2, 10 → 56/3; shares 12/82 and 56/82, interaction 14/82.
  static func grid(dropping dropped: Set<Int> = []) -> SweepResults {
    var trials: [SweepResults.Trial] = []
    for (i, p) in ["x", "y"].enumerated() {
      for (j, q) in [0.0, 1, 5].enumerated() {
        let k = 3 * i + j
        let o = ["sum": Double(2 * i) + q, "product": Double(1 + 2 * i) * q]
        trials.append(
          trial(k, ["p": .string(p), "q": .number(q)], o, status: dropped.contains(k) ? "failed" : "succeeded"))
      }
    }
    return results(
      search: "grid",
      space: [
        .init(path: "p", kind: .values, values: [.string("x"), .string("y")]),
        .init(path: "q", kind: .values, values: [.number(0), .number(1), .number(5)]),
      ], trials: trials)
  }

  func share(_ imp: SweepImportance, _ path: String, _ metric: String) throws -> Double {
    try XCTUnwrap(imp.parameters.first { $0.path == path }?.shares[metric] ?? nil)
  }

  func testCompleteGridGivesTheExactDecomposition() throws {
    let imp = try XCTUnwrap(SweepImportance.compute(Self.grid()))
    XCTAssertEqual(imp.method, .completeGrid)
    XCTAssertEqual(imp.trials, 6)
    XCTAssertEqual(try share(imp, "p", "sum"), 3.0 / 17, accuracy: 1e-12)
    XCTAssertEqual(try share(imp, "q", "sum"), 14.0 / 17, accuracy: 1e-12)
    XCTAssertEqual(try XCTUnwrap(imp.explained["sum"] ?? nil), 1, accuracy: 1e-12)
    XCTAssertEqual(try share(imp, "p", "product"), 12.0 / 82, accuracy: 1e-12)
    XCTAssertEqual(try share(imp, "q", "product"), 56.0 / 82, accuracy: 1e-12)
    XCTAssertEqual(try XCTUnwrap(imp.explained["product"] ?? nil), 68.0 / 82, accuracy: 1e-12)
    // the marginal of q on the product: column means 0, 2, 10 in the listed order
    let q = try XCTUnwrap(imp.parameters.first { $0.path == "q" })
    XCTAssertEqual(q.levels.map(\.label), ["0", "1", "5"])
    XCTAssertEqual(q.levels.compactMap { $0.means["product"] }, [0, 2, 10])
    XCTAssertEqual(q.levels.map(\.center), [0, 1, 5])
    XCTAssertEqual(imp.parameters.first?.levels.map(\.center), [nil, nil])
  }

  /// Without (y, 5) the sum's values are 0 1 5 2 3: mean 2.2, variance 14.8/5 = 2.96; p's level
  /// means 2 (3 trials) and 2.5 (2): 0.6·0.04 + 0.4·0.09 = 0.06; q's 1, 2, 5 (2, 2, 1 trials):
  /// 0.4·1.44 + 0.4·0.04 + 0.2·7.84 = 2.16.
  func testIncompleteGridIsAnEstimate() throws {
    let imp = try XCTUnwrap(SweepImportance.compute(Self.grid(dropping: [5])))
    XCTAssertEqual(imp.method, .incompleteGrid)
    XCTAssertEqual(try share(imp, "p", "sum"), 0.06 / 2.96, accuracy: 1e-12)
    XCTAssertEqual(try share(imp, "q", "sum"), 2.16 / 2.96, accuracy: 1e-12)
    XCTAssertTrue(imp.methodSentence.contains("incomplete"), imp.methodSentence)
  }

  /// Eight random draws of a log-uniform r = 1…8 with y = r: ⌊√8⌋ = 2 equal-count bins {1–4},
  /// {5–8} with means 2.5 and 6.5 around 4.5: between 4, total (8² − 1)/12 = 5.25.
  func testRandomSamplesAreBinned() throws {
    let values: [Double] = [5, 2, 8, 1, 7, 3, 6, 4]
    let trials = values.enumerated().map { Self.trial($0.offset, ["r": .number($0.element)], ["y": $0.element]) }
    let r = Self.results(
      search: "random", space: [.init(path: "r", kind: .logUniform)], trials: trials, objectives: ["y"])
    let imp = try XCTUnwrap(SweepImportance.compute(r))
    XCTAssertEqual(imp.method, .sampled(bins: 2))
    XCTAssertEqual(try share(imp, "r", "y"), 4 / 5.25, accuracy: 1e-12)
    let levels = try XCTUnwrap(imp.parameters.first?.levels)
    XCTAssertEqual(levels.map(\.label), ["1–4", "5–8"])
    XCTAssertEqual(levels.map(\.count), [4, 4])
    XCTAssertEqual(levels.map(\.center), [2.5, 6.5])
  }

  func testTiedValuesShareABin() {
    let (levelOf, labels) = SweepImportance.binnedLevels([.number(1), .number(1), .number(1), .number(2)], bins: 2)
    XCTAssertEqual(levelOf, [0, 0, 0, 1])
    XCTAssertEqual(labels, ["1", "2"])
  }

  func testConstantObjectiveAndTooFewTrials() throws {
    let trials = (0..<3).map { Self.trial($0, ["p": .number(Double($0))], ["y": 1]) }
    let r = Self.results(search: "grid", space: nil, trials: trials, objectives: ["y"])
    let imp = try XCTUnwrap(SweepImportance.compute(r))
    XCTAssertNil(imp.parameters.first?.shares["y"] ?? nil)
    XCTAssertNil(
      SweepImportance.compute(Self.results(search: "grid", space: nil, trials: [trials[0]], objectives: ["y"])))
  }
}
