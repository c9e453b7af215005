import Foundation
import Quantization
import Tensors
import XCTest

/// The clip-threshold rules against hand computations and brute-force searches written here.
final class CalibrationTests: XCTestCase {
  /// Values 1, 2, …, 100 in 2048 bins of width 100/2048: value v lands in bin ⌊v·20.48⌋, one
  /// value per bin. The 99th percentile is reached in value 99's bin, ⌊2027.52⌋ = 2027, whose
  /// upper edge is 2028·100/2048 = 99.0234375; the 50th in bin 1024 → 1025·100/2048.
  func testPercentileIsTheUpperEdgeOfTheBinWhereTheShareIsReached() {
    var h = AbsHistogram(bins: 2048)
    h.add((1...100).map { Float($0) })
    XCTAssertEqual(h.binWidth, 100.0 / 2048)
    XCTAssertEqual(ClipThreshold.percentile(h, percent: 99), 99.0234375)
    XCTAssertEqual(ClipThreshold.percentile(h, percent: 50), 50.048828125)
    XCTAssertEqual(ClipThreshold.percentile(h, percent: 100), 100)
    // negative values count by magnitude; the range is clipped on the side that exceeds T
    var s = TensorStatistics(bins: 2048)
    s.add((1...100).map { -Float($0) })
    XCTAssertEqual(s.range(CalibrationSettings(method: .percentile, percentile: 99)), -99.0234375...(-1))
    XCTAssertEqual(s.range(CalibrationSettings(method: .minmax)), -100...(-1))
  }

  /// A later, larger batch doubles the bin width and merges bins pairwise, keeping counts exact.
  func testHistogramWidensWithoutLosingCounts() {
    var h = AbsHistogram(bins: 256)
    h.add([1, 0.5, -0.25])  // w = 1/256: bins 255 (clamped top), 128, 64
    h.add([3])  // needs w ≥ 3/256: doubles twice to 4/256
    XCTAssertEqual(h.binWidth, 4.0 / 256)
    XCTAssertEqual(h.total, 4)
    XCTAssertEqual(h.counts[63], 1)  // 1.0 was in bin 255 → 127 → 63
    XCTAssertEqual(h.counts[32], 1)  // 0.5: 128 → 64 → 32
    XCTAssertEqual(h.counts[16], 1)  // 0.25: 64 → 32 → 16
    XCTAssertEqual(h.counts[192], 1)  // 3 / (4/256) = 192
  }

  /// A standard Gaussian (200,000 samples) plus 0.05 % outliers at ±40. min/max calibration
  /// would spend the 8-bit range on ±40; the entropy threshold must land in the Gaussian's tail
  /// (between 2.5σ and 8σ) and be exactly the candidate a direct, independently written
  /// TensorRT search picks.
  func testKLDThresholdOnAGaussianWithOutliersMatchesABruteForceSearch() {
    var rng = RandomStream(seed: 11)
    var values = (0..<200_000).map { _ in rng.nextNormal() }
    for i in 0..<100 { values[i * 1999] = i % 2 == 0 ? 40 : -40 }
    var h = AbsHistogram(bins: 2048)
    h.add(values)
    let t = ClipThreshold.kld(h, quantBins: 128)
    XCTAssertGreaterThan(t, 2.5)
    XCTAssertLessThan(t, 8)
    XCTAssertEqual(t, bruteForceKLD(h.counts, binWidth: h.binWidth, quantBins: 128), accuracy: 1e-12)
    var s = TensorStatistics()
    s.add(values)
    let r = s.range(CalibrationSettings(method: .kld))
    XCTAssertEqual(Double(r.upperBound), t, accuracy: 1e-6)
    XCTAssertEqual(Double(r.lowerBound), -t, accuracy: 1e-6)
  }

  /// A uniform distribution has nothing worth clipping: P has no tail to fold into its last
  /// bin only when all bins are kept, and any clip adds squared error faster than the finer step
  /// removes it, so both searches keep (nearly) the whole range [0, max|x|].
  func testThresholdsOfAUniformDistributionKeepItsWholeRange() {
    var rng = RandomStream(seed: 13)
    let values = (0..<200_000).map { _ in rng.nextFloat(in: -1..<1) }
    var h = AbsHistogram(bins: 2048)
    h.add(values)
    let top = h.edge(2048)
    XCTAssertGreaterThanOrEqual(ClipThreshold.kld(h, quantBins: 128), 0.97 * top)
    XCTAssertGreaterThanOrEqual(ClipThreshold.mse(h, levels: 127.5), 0.97 * top)
  }

  /// The MSE threshold (estimated from bin centres) against the brute-force minimum of the true
  /// squared error over the raw samples, at every 8th candidate edge, for a 4-bit quantizer
  /// (15 steps on [−T, T]), whose optimum lies well inside a Laplace distribution's range
  /// (about 5b, Banner et al. 2019).
  func testMSEThresholdAgreesWithABruteForceSearchOverTheSamples() {
    var rng = RandomStream(seed: 5)
    // Laplace(0, 1) with a few outliers: the optimum clips well inside the range
    var values = (0..<20_000).map { _ -> Float in
      let u = rng.nextFloat(in: -0.5..<0.5)
      return (u < 0 ? 1 : -1) * Float(log(max(1 - 2 * Double(abs(u)), 1e-7)))
    }
    for i in 0..<10 { values[i * 1000] = 30 }
    var h = AbsHistogram(bins: 2048)
    h.add(values)
    let levels = 7.5
    let t = ClipThreshold.mse(h, levels: levels)
    func trueError(_ t: Double) -> Double {
      let step = t / levels
      var e = 0.0
      for v in values {
        let a = Double(abs(v))
        let q = min((a / step).rounded() * step, t)
        e += (a - q) * (a - q)
      }
      return e / Double(values.count)
    }
    var best = (error: Double.infinity, t: 0.0)
    for i in stride(from: 8, through: 2048, by: 8) {
      let e = trueError(h.edge(i))
      if e < best.error { best = (e, h.edge(i)) }
    }
    XCTAssertGreaterThan(t, 2)
    XCTAssertLessThan(t, 9)
    XCTAssertLessThanOrEqual(trueError(t), best.error * 1.03)
    XCTAssertEqual(t, best.t, accuracy: 0.1 * best.t)
  }

  func testSettingsOutOfRangeAreRejectedWithASentence() {
    XCTAssertThrowsError(try CalibrationSettings(method: .percentile, percentile: 120).validate()) { error in
      XCTAssertEqual("\(error)", "The calibration percentile must be in (0, 100], got 120.0.")
    }
  }

  /// TensorRT's entropy calibration written directly: for each kept-bin count i, P = the first i
  /// bins with the tail added to the last, Q = the first i bins merged into `quantBins` groups
  /// and spread over P's non-empty bins, both smoothed with ε = 1e-4, KL(P‖Q) minimal.
  private func bruteForceKLD(_ counts: [Int], binWidth: Double, quantBins: Int) -> Double {
    var bestI = counts.count, bestKL = Double.infinity
    for i in quantBins...counts.count {
      var p = counts[0..<i].map(Double.init)
      p[i - 1] += Double(counts[i...].reduce(0, +))
      let groupSize = i / quantBins
      var q = [Double](repeating: 0, count: i)
      for g in 0..<quantBins {
        let range = (g * groupSize)..<(g == quantBins - 1 ? i : (g + 1) * groupSize)
        let mass = range.map { Double(counts[$0]) }.reduce(0, +)
        let support = range.filter { p[$0] > 0 }
        for k in support { q[k] = mass / Double(support.count) }
      }
      func smooth(_ d: [Double]) -> [Double]? {
        let sum = d.reduce(0, +)
        guard sum > 0 else { return nil }
        let zeros = Double(d.filter { $0 == 0 }.count), nonzeros = Double(d.count) - zeros
        let eps = 1e-4, take = eps * zeros / nonzeros
        guard take < 1 else { return nil }
        return d.map { $0 == 0 ? eps : $0 / sum - take }
      }
      guard let ps = smooth(p), let qs = smooth(q) else { continue }
      var kl = 0.0
      for k in 0..<i where ps[k] > 0 { kl += ps[k] * log(ps[k] / qs[k]) }
      if kl < bestKL {
        bestKL = kl
        bestI = i
      }
    }
    return Double(bestI) * binWidth
  }
}
