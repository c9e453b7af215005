import Foundation
import Support
import Tensors

/// Tree-structured Parzen estimator search (Bergstra, Bardenet, Bengio & Kégl 2011, "Algorithms
/// for Hyper-Parameter Optimization", §4): instead of modelling p(y | x) it models p(x | y) by two
/// densities, l(x) over the points whose first objective is among the best ⌈γ·n⌉ results and
/// g(x) over the rest, and proposes the point that maximises l(x)/g(x) (which maximises the
/// expected improvement) among `candidates` draws from l(x).
///
/// Each dimension has its own ``ParzenEstimator`` (the space has no conditional structure, so
/// the "tree" is flat and the densities are products over dimensions). The first
/// `startupTrials` trials are the random search's draws. Every random choice comes from a
/// stream of the sweep seed split by trial number (and attempt), so a proposal depends only on
/// the seed and the results it is given: the same results give the same point.
public struct TPESampler: Sendable {
  /// A finished trial: its point (in space order) and its first objective.
  public struct Observation: Sendable {
    public var point: [JSONValue]
    public var value: Double
    public init(point: [JSONValue], value: Double) {
      self.point = point
      self.value = value
    }
  }

  public let space: [(path: String, dimension: SweepDimension)]
  public let settings: SweepSpec.TPE
  public let direction: SweepSpec.Direction
  public let seed: UInt64

  public init(
    space: [(path: String, dimension: SweepDimension)], settings: SweepSpec.TPE, direction: SweepSpec.Direction,
    seed: UInt64
  ) {
    self.space = space
    self.settings = settings
    self.direction = direction
    self.seed = seed
  }

  /// The sampler of a sweep: its space, `tpe` settings, first objective and seed.
  public init(_ spec: SweepSpec) {
    self.init(
      space: spec.space, settings: spec.tpe, direction: spec.objectives.first?.direction ?? .max, seed: spec.seed)
  }

  /// The point of trial `index` given the finished trials' `observations` (non-finite values,
  /// failed trials, are left out). A start-up trial, or one with fewer than two results to
  /// model, is random draw `index`. `attempt` > 0 asks again with fresh draws (the previous
  /// proposal was a point already tried).
  public func propose(index: Int, attempt: Int = 0, observations: [Observation]) -> [JSONValue] {
    let valid = observations.enumerated().filter { $0.element.value.isFinite }
    if index < settings.startupTrials || valid.count < 2 {
      if attempt == 0 { return SweepTrials.randomPoint(space, seed: seed, index: index) }
      let draw = RandomStream(seed: seed).split("retry").split(index: index).split(index: attempt)
      return space.map { path, d in
        var rng = draw.split(path)
        return d.sample(&rng)
      }
    }
    // best first on the first objective; ties keep the earlier trial first
    let sign = direction == .max ? -1.0 : 1.0
    let ranked = valid.sorted { a, b in
      let (x, y) = (sign * a.element.value, sign * b.element.value)
      return x != y ? x < y : a.offset < b.offset
    }.map(\.element)
    let n = ranked.count
    let nGood = Swift.min(Swift.max(1, Int((settings.gamma * Double(n)).rounded(.up))), n - 1)
    let good = Array(ranked.prefix(nGood)), bad = Array(ranked.dropFirst(nGood))
    let l = space.indices.map { estimator($0, good) }
    let g = space.indices.map { estimator($0, bad) }
    var rng = RandomStream(seed: seed).split("tpe").split(index: index).split(index: attempt)
    var best: (score: Double, x: [Double])? = nil
    for _ in 0..<Swift.max(1, settings.candidates) {
      let x = l.map { $0.sample(&rng) }
      var score = 0.0
      for d in x.indices { score += l[d].logDensity(x[d]) - g[d].logDensity(x[d]) }
      if best == nil || score > best?.score ?? -.infinity { best = (score, x) }
    }
    return zip(space, best?.x ?? []).map { value(of: $1, in: $0.dimension) }
  }

  /// Dimension `d`'s estimator over `observations`.
  func estimator(_ d: Int, _ observations: [Observation]) -> ParzenEstimator {
    let dimension = space[d].dimension
    let xs = observations.compactMap { coordinate(of: $0.point[d], in: dimension) }
    switch dimension {
    case .values(let v): return .categorical(xs.map { Int($0) }, count: v.count)
    case .uniform(let lo, let hi): return .numeric(xs, lo: lo, hi: hi)
    case .logUniform(let lo, let hi): return .numeric(xs, lo: Foundation.log(lo), hi: Foundation.log(hi))
    }
  }

  /// Where `value` sits in the estimator's coordinates: a category index, the number, or its log.
  func coordinate(of value: JSONValue, in dimension: SweepDimension) -> Double? {
    switch dimension {
    case .values(let v): return v.firstIndex { $0.canonical == value.canonical }.map(Double.init)
    case .uniform: return value.doubleValue
    case .logUniform: return value.doubleValue.flatMap { $0 > 0 ? Foundation.log($0) : nil }
    }
  }

  /// The value at coordinate `x`, kept in the dimension's half-open range.
  func value(of x: Double, in dimension: SweepDimension) -> JSONValue {
    switch dimension {
    case .values(let v): return v[Swift.min(Swift.max(Int(x), 0), v.count - 1)]
    case .uniform(let lo, let hi): return .number(Swift.min(Swift.max(x, lo), hi.nextDown))
    case .logUniform(let lo, let hi): return .number(Swift.min(Swift.max(Foundation.exp(x), lo), hi.nextDown))
    }
  }
}
