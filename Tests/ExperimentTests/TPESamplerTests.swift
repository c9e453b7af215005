import Foundation
import Support
import Tensors
import XCTest

@testable import Experiment

/// ``TPESampler`` and its ``ParzenEstimator`` on a synthetic objective (no training): the
/// estimators against hand-computed values and their normalisation, exact reproducibility, and
/// TPE finding better points than random search on the same budget, averaged over seeds.
final class TPESamplerTests: XCTestCase {
  static let space: [(path: String, dimension: SweepDimension)] = [
    (path: "c", dimension: .values(["a", "b", "c", "d"])),
    (path: "lr", dimension: .logUniform(1e-4, 1e-1)),
    (path: "x", dimension: .uniform(-5, 5)),
  ]

  /// Lower is better; the minimum 0 is at c = "c", lr = 10^-2.2, x = 1.3.
  static func objective(_ p: [JSONValue]) -> Double {
    let c = p[0].stringValue == "c" ? 0.0 : 1.5
    let lr = Foundation.log10(p[1].doubleValue ?? 1) + 2.2
    let x = (p[2].doubleValue ?? 0) - 1.3
    return c + lr * lr + 0.25 * x * x
  }

  func sampler(seed: UInt64, startup: Int = 8) -> TPESampler {
    var settings = SweepSpec.TPE()
    settings.startupTrials = startup
    return TPESampler(space: Self.space, settings: settings, direction: .min, seed: seed)
  }

  /// Trials 0..<budget, each proposed from all earlier results (one worker).
  func search(_ s: TPESampler, budget: Int) -> [(point: [JSONValue], value: Double)] {
    var observations: [TPESampler.Observation] = []
    var out: [(point: [JSONValue], value: Double)] = []
    for i in 0..<budget {
      let p = s.propose(index: i, observations: observations)
      let v = Self.objective(p)
      observations.append(.init(point: p, value: v))
      out.append((p, v))
    }
    return out
  }

  /// One observation at 0.1 on [0, 1]: the prior sits at 0.5 with σ 1; the observation's σ is
  /// its gap to the prior (0.4), raised to the floor width / min(100, n + 1) = 0.5.
  func testNumericEstimatorMatchesTheHandComputedMixture() {
    guard case .numeric(let lo, let hi, let mus, let sigmas) = ParzenEstimator.numeric([0.1], lo: 0, hi: 1) else {
      return XCTFail("expected a numeric estimator")
    }
    XCTAssertEqual([lo, hi], [0, 1])
    XCTAssertEqual(mus, [0.1, 0.5])
    XCTAssertEqual(sigmas, [0.5, 1])
    // five observations: σ is the larger neighbour gap, within [1/6, 1]
    guard
      case .numeric(_, _, let mus5, let sigmas5) = ParzenEstimator.numeric([0.9, 0.05, 0.3, 0.32, 0.95], lo: 0, hi: 1)
    else { return XCTFail("expected a numeric estimator") }
    XCTAssertEqual(mus5, [0.05, 0.3, 0.32, 0.5, 0.9, 0.95])
    let expected = [0.25, 0.25, 0.18, 1, 0.4, 1.0 / 6]
    for (a, b) in zip(sigmas5, expected) { XCTAssertEqual(a, b, accuracy: 1e-12) }
    // the density at 0.3 by hand: 1/2 · (N(0.3; 0.1, 0.5) / Z₁ + N(0.3; 0.5, 1) / Z₂)
    func n(_ x: Double, _ m: Double, _ s: Double) -> Double {
      Foundation.exp(-0.5 * (x - m) * (x - m) / (s * s)) / (s * (2 * Double.pi).squareRoot())
    }
    let z1 = 0.5 * (Foundation.erf((1 - 0.1) / 0.5 / 2.0.squareRoot()) - Foundation.erf(-0.1 / 0.5 / 2.0.squareRoot()))
    let z2 = 0.5 * (Foundation.erf(0.5 / 2.0.squareRoot()) - Foundation.erf(-0.5 / 2.0.squareRoot()))
    let byHand = 0.5 * (n(0.3, 0.1, 0.5) / z1 + n(0.3, 0.5, 1) / z2)
    XCTAssertEqual(
      ParzenEstimator.numeric([0.1], lo: 0, hi: 1).logDensity(0.3), Foundation.log(byHand), accuracy: 1e-12)
  }

  /// A truncated mixture is a density on its range: it integrates to 1 (midpoint rule), and
  /// its draws stay in the range with the histogram the density predicts.
  func testNumericEstimatorIsADensityAndSamplesFromIt() {
    let e = ParzenEstimator.numeric([-3.1, -2.9, 0.4, 4.8], lo: -5, hi: 5)
    let steps = 20000
    var integral = 0.0
    for i in 0..<steps {
      let x = -5 + 10 * (Double(i) + 0.5) / Double(steps)
      integral += Foundation.exp(e.logDensity(x)) * 10 / Double(steps)
    }
    XCTAssertEqual(integral, 1, accuracy: 1e-6)
    var rng = RandomStream(seed: 3)
    let draws = (0..<40000).map { _ in e.sample(&rng) }
    XCTAssertTrue(draws.allSatisfy { $0 >= -5 && $0 <= 5 })
    // the mass of [-3.5, -2.5] by the density and by the draws
    var mass = 0.0
    for i in 0..<1000 { mass += Foundation.exp(e.logDensity(-3.5 + (Double(i) + 0.5) / 1000)) / 1000 }
    let share = Double(draws.filter { $0 >= -3.5 && $0 <= -2.5 }.count) / Double(draws.count)
    XCTAssertEqual(share, mass, accuracy: 0.01)
  }

  /// Categories: counts plus one pseudo-count each, normalised.
  func testCategoricalEstimatorSmoothsCounts() {
    guard case .categorical(let p) = ParzenEstimator.categorical([0, 0, 2], count: 3) else {
      return XCTFail("expected a categorical estimator")
    }
    XCTAssertEqual(p, [3.0 / 6, 1.0 / 6, 2.0 / 6])
    XCTAssertEqual(
      ParzenEstimator.categorical([0, 0, 2], count: 3).logDensity(2), Foundation.log(2.0 / 6), accuracy: 1e-15)
  }

  /// The same seed and results give the same proposals, bit for bit; start-up trials are the
  /// random search's draws; another seed gives another sequence.
  func testProposalsAreExactlyReproducible() {
    let a = search(sampler(seed: 11), budget: 20).map { $0.point.map(\.canonical) }
    let b = search(sampler(seed: 11), budget: 20).map { $0.point.map(\.canonical) }
    XCTAssertEqual(a, b)
    XCTAssertNotEqual(a, search(sampler(seed: 12), budget: 20).map { $0.point.map(\.canonical) })
    for i in 0..<8 {
      XCTAssertEqual(a[i], SweepTrials.randomPoint(Self.space, seed: 11, index: i).map(\.canonical))
    }
    // model-based proposals are in the space
    for p in a.dropFirst(8) {
      XCTAssertTrue(["\"a\"", "\"b\"", "\"c\"", "\"d\""].contains(p[0]))
      let lr = Double(p[1]) ?? 0, x = Double(p[2]) ?? 99
      XCTAssertTrue(lr >= 1e-4 && lr < 1e-1, p[1])
      XCTAssertTrue(x >= -5 && x < 5, p[2])
    }
  }

  /// Over 30 seeds with 30 trials each (8 random start-up trials), the best value TPE finds is
  /// lower on average than the best of 30 random draws of the same seeds (the random search's
  /// own draws, so both start from the same 8 points), and TPE wins on most seeds.
  func testTPEBeatsRandomSearchOnTheSameBudget() {
    var tpeBest: [Double] = [], randomBest: [Double] = []
    for seed in 0..<30 {
      tpeBest.append(search(sampler(seed: UInt64(seed)), budget: 30).map(\.value).min() ?? .infinity)
      randomBest.append(
        (0..<30).map { Self.objective(SweepTrials.randomPoint(Self.space, seed: UInt64(seed), index: $0)) }.min()
          ?? .infinity)
    }
    let tpe = tpeBest.reduce(0, +) / 30, random = randomBest.reduce(0, +) / 30
    let wins = zip(tpeBest, randomBest).filter { $0 < $1 }.count
    print("TPE mean best \(tpe), random mean best \(random), TPE better on \(wins)/30 seeds")
    XCTAssertLessThan(tpe, 0.75 * random)
    XCTAssertGreaterThanOrEqual(wins, 18)
  }

  /// Minimising and maximising the same objective with its sign flipped give the same
  /// proposals (the good group is the best on the objective's own direction).
  func testDirectionOnlyFlipsTheRanking() {
    var settings = SweepSpec.TPE()
    settings.startupTrials = 5
    let minimise = TPESampler(space: Self.space, settings: settings, direction: .min, seed: 4)
    let maximise = TPESampler(space: Self.space, settings: settings, direction: .max, seed: 4)
    var obsMin: [TPESampler.Observation] = [], obsMax: [TPESampler.Observation] = []
    for i in 0..<15 {
      let p = minimise.propose(index: i, observations: obsMin)
      XCTAssertEqual(p, maximise.propose(index: i, observations: obsMax))
      obsMin.append(.init(point: p, value: Self.objective(p)))
      obsMax.append(.init(point: p, value: -Self.objective(p)))
    }
  }
}
