import XCTest

@testable import Experiment

/// ``AshaScheduler`` on synthetic objectives (no training): the job sequence of Algorithm 2 of
/// Li et al. (2018), worked out by hand below, and the same with results arriving out of order.
final class AshaSchedulerTests: XCTestCase {
  /// Trial i's objective at any rung (so the hand computation only needs the ranking).
  static let quality = [0.5, 0.9, 0.1, 0.7, 0.3, 0.8, 0.2, 0.6, 0.4]

  func testRungsArePowersOfEtaUpToTheMaximum() {
    XCTAssertEqual(
      AshaScheduler(minEpochs: 1, maxEpochs: 9, eta: 3, direction: .max, maxTrials: 1).rungEpochs, [1, 3, 9])
    XCTAssertEqual(
      AshaScheduler(minEpochs: 1, maxEpochs: 10, eta: 3, direction: .max, maxTrials: 1).rungEpochs, [1, 3, 9])
    XCTAssertEqual(
      AshaScheduler(minEpochs: 2, maxEpochs: 16, eta: 2, direction: .max, maxTrials: 1).rungEpochs, [2, 4, 8, 16])
    XCTAssertEqual(AshaScheduler(minEpochs: 5, maxEpochs: 5, eta: 4, direction: .max, maxTrials: 1).rungEpochs, [5])
  }

  /// One worker, each job reported before the next is asked for. By hand (η = 3, rungs 1/3/9
  /// epochs): rung 0 promotes its top ⌊n/3⌋. After 3 results the top 1 is trial 1 → promoted;
  /// after 6 the top 2 are {1, 5} → 5 promoted; after 9 the top 3 are {1, 5, 3} → 3 promoted;
  /// then rung 1 holds 3 results, its top 1 is trial 1 → promoted to rung 2; nothing is left.
  func testSequentialJobsMatchTheHandComputedSchedule() {
    var asha = AshaScheduler(minEpochs: 1, maxEpochs: 9, eta: 3, direction: .max, maxTrials: 9)
    var jobs: [AshaScheduler.Job] = []
    while let job = asha.next() {
      jobs.append(job)
      switch job {
      case .start(let t, _): asha.report(trial: t, rung: 0, value: Self.quality[t])
      case .promote(let t, let rung, _): asha.report(trial: t, rung: rung, value: Self.quality[t])
      }
    }
    XCTAssertEqual(
      jobs,
      [
        .start(trial: 0, epochs: 1), .start(trial: 1, epochs: 1), .start(trial: 2, epochs: 1),
        .promote(trial: 1, rung: 1, epochs: 3),
        .start(trial: 3, epochs: 1), .start(trial: 4, epochs: 1), .start(trial: 5, epochs: 1),
        .promote(trial: 5, rung: 1, epochs: 3),
        .start(trial: 6, epochs: 1), .start(trial: 7, epochs: 1), .start(trial: 8, epochs: 1),
        .promote(trial: 3, rung: 1, epochs: 3), .promote(trial: 1, rung: 2, epochs: 9),
      ])
    // stopped trials keep their partial history; the winner has one result per rung
    XCTAssertEqual(asha.history[1]?.map(\.epochs), [1, 3, 9])
    XCTAssertEqual(asha.history[5]?.map(\.value), [0.8, 0.8])
    XCTAssertEqual(asha.history[2], [.init(rung: 0, epochs: 1, value: 0.1)])
    XCTAssertEqual((0..<9).map { asha.rung(of: $0) }, [0, 2, 0, 1, 0, 1, 0, 0, 0])
  }

  /// Minimising the negated objective promotes the same trials.
  func testMinimisingTheNegatedObjectiveGivesTheSameJobs() {
    func jobs(_ direction: SweepSpec.Direction, sign: Double) -> [AshaScheduler.Job] {
      var asha = AshaScheduler(minEpochs: 1, maxEpochs: 9, eta: 3, direction: direction, maxTrials: 9)
      var out: [AshaScheduler.Job] = []
      while let job = asha.next() {
        out.append(job)
        switch job {
        case .start(let t, _): asha.report(trial: t, rung: 0, value: sign * Self.quality[t])
        case .promote(let t, let rung, _): asha.report(trial: t, rung: rung, value: sign * Self.quality[t])
        }
      }
      return out
    }
    XCTAssertEqual(jobs(.min, sign: -1), jobs(.max, sign: 1))
  }

  /// Asynchronous: two workers ask for jobs before earlier results arrive. A promotion is never
  /// handed out twice, and a trial in flight is not promotable before its result is reported.
  func testAsynchronousWorkersNeverDuplicateAPromotion() {
    var asha = AshaScheduler(minEpochs: 1, maxEpochs: 4, eta: 2, direction: .max, maxTrials: 4)
    XCTAssertEqual(asha.next(), .start(trial: 0, epochs: 1))
    XCTAssertEqual(asha.next(), .start(trial: 1, epochs: 1))
    asha.report(trial: 1, rung: 0, value: 0.9)
    // one result: ⌊1/2⌋ = 0 promotable, so a new trial
    XCTAssertEqual(asha.next(), .start(trial: 2, epochs: 1))
    asha.report(trial: 0, rung: 0, value: 0.4)
    // two results: the top 1 (trial 1) goes up, once
    XCTAssertEqual(asha.next(), .promote(trial: 1, rung: 1, epochs: 2))
    XCTAssertEqual(asha.next(), .start(trial: 3, epochs: 1))
    XCTAssertNil(asha.next(), "all trials started, trial 1 still running, nothing promotable")
    asha.report(trial: 2, rung: 0, value: 0.7)
    asha.report(trial: 3, rung: 0, value: 0.1)
    // four results at rung 0: top 2 = {1, 2}; 1 is promoted already → 2
    XCTAssertEqual(asha.next(), .promote(trial: 2, rung: 1, epochs: 2))
    asha.report(trial: 1, rung: 1, value: 0.95)
    asha.report(trial: 2, rung: 1, value: 0.5)
    XCTAssertEqual(asha.next(), .promote(trial: 1, rung: 2, epochs: 4))
    asha.report(trial: 1, rung: 2, value: 0.97)
    XCTAssertNil(asha.next())
    XCTAssertEqual(asha.results(rung: 1).map(\.trial), [1, 2])
  }
}

extension AshaSchedulerTests {
  /// A failed rung (reported as NaN) ranks last and is never promoted, even when the failures
  /// fill the top of the rung.
  func testFailedResultsAreNeverPromoted() {
    var asha = AshaScheduler(minEpochs: 1, maxEpochs: 3, eta: 3, direction: .min, maxTrials: 3)
    for t in 0..<3 {
      XCTAssertEqual(asha.next(), .start(trial: t, epochs: 1))
      asha.report(trial: t, rung: 0, value: .nan)
    }
    XCTAssertNil(asha.next())
    var mixed = AshaScheduler(minEpochs: 1, maxEpochs: 3, eta: 3, direction: .min, maxTrials: 3)
    for (t, v) in [Double.nan, 0.4, 0.2].enumerated() {
      _ = mixed.next()
      mixed.report(trial: t, rung: 0, value: v)
    }
    XCTAssertEqual(mixed.next(), .promote(trial: 2, rung: 1, epochs: 3))
  }
}
