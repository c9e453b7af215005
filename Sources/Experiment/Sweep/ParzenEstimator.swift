import Foundation
import Tensors

/// One dimension's Parzen estimator of TPE (Bergstra et al. 2011, §4.1): a density over the
/// dimension built from observed values, as in hyperopt's adaptive Parzen estimator.
///
/// Numbers (on the log scale for `log_uniform`): an equal-weight mixture of Gaussians truncated
/// to [lo, hi], one at the prior (the middle of the range, σ = the range's width) and one at each
/// observation with σ the larger gap to its sorted neighbours (the prior counting as one),
/// clipped to [width / min(100, n + 1), width]. Categories: probabilities from counts smoothed
/// by one pseudo-count per category.
enum ParzenEstimator {
  /// A truncated Gaussian mixture on [lo, hi].
  case numeric(lo: Double, hi: Double, mus: [Double], sigmas: [Double])
  /// Category probabilities.
  case categorical([Double])

  /// The estimator of `observations` (coordinates, see ``TPESampler``) on a numeric range.
  static func numeric(_ observations: [Double], lo: Double, hi: Double) -> ParzenEstimator {
    let width = hi - lo
    let prior = (lo + hi) / 2
    var points = (observations.map { (x: $0, prior: false) } + [(x: prior, prior: true)])
    points.sort { $0.x < $1.x }
    let minSigma = width / Double(min(100, observations.count + 1))
    var sigmas: [Double] = []
    for i in points.indices {
      if points[i].prior {
        sigmas.append(width)
        continue
      }
      let left = i > 0 ? points[i].x - points[i - 1].x : 0
      let right = i + 1 < points.count ? points[i + 1].x - points[i].x : 0
      sigmas.append(Swift.min(Swift.max(Swift.max(left, right), minSigma), width))
    }
    return .numeric(lo: lo, hi: hi, mus: points.map(\.x), sigmas: sigmas)
  }

  /// The estimator of observed category indices among `count` categories.
  static func categorical(_ observations: [Int], count: Int) -> ParzenEstimator {
    var counts = [Double](repeating: 1, count: count)
    for i in observations where i >= 0 && i < count { counts[i] += 1 }
    let total = counts.reduce(0, +)
    return .categorical(counts.map { $0 / total })
  }

  /// log density (numbers) or log probability (categories) at `x` (a category index for those).
  func logDensity(_ x: Double) -> Double {
    switch self {
    case .numeric(let lo, let hi, let mus, let sigmas):
      var p = 0.0
      for (mu, sigma) in zip(mus, sigmas) {
        let z = (x - mu) / sigma
        let mass = Self.phi((hi - mu) / sigma) - Self.phi((lo - mu) / sigma)
        p += Foundation.exp(-0.5 * z * z) / (sigma * (2 * Double.pi).squareRoot() * Swift.max(mass, 1e-12))
      }
      return Foundation.log(Swift.max(p / Double(mus.count), 1e-300))
    case .categorical(let probabilities):
      let i = Int(x)
      return i >= 0 && i < probabilities.count ? Foundation.log(probabilities[i]) : -.infinity
    }
  }

  /// One draw (a category index for categories).
  func sample(_ rng: inout RandomStream) -> Double {
    switch self {
    case .numeric(let lo, let hi, let mus, let sigmas):
      let k = rng.nextInt(below: mus.count)
      // rejection from the untruncated Gaussian: its mean is in [lo, hi] and σ ≤ hi − lo, so
      // at least a third of the draws land inside
      for _ in 0..<1000 {
        let x = mus[k] + sigmas[k] * Self.normal(&rng)
        if x >= lo && x <= hi { return x }
      }
      return Swift.min(Swift.max(mus[k], lo), hi)
    case .categorical(let probabilities):
      let u = rng.nextDouble()
      var cumulative = 0.0
      for (i, p) in probabilities.enumerated() {
        cumulative += p
        if u < cumulative { return Double(i) }
      }
      return Double(probabilities.count - 1)
    }
  }

  /// The standard normal CDF.
  static func phi(_ z: Double) -> Double { 0.5 * Foundation.erfc(-z / 2.0.squareRoot()) }

  /// A standard normal draw (Box–Muller, in double precision).
  static func normal(_ rng: inout RandomStream) -> Double {
    let u = 1 - rng.nextDouble()  // (0, 1]
    let v = rng.nextDouble()
    return (-2 * Foundation.log(u)).squareRoot() * Foundation.cos(2 * Double.pi * v)
  }
}
