import Foundation
import Support

/// How the k-fold protocol picks candidate thresholds on the training folds.
public enum ThresholdCandidates: Equatable, Sendable {
  /// Every distinct split of the sorted training distances: midpoints between neighbours, plus
  /// the smallest distance (nothing accepted) and the next value above the largest (all
  /// accepted). This finds the true training optimum, independent of any grid.
  case midpoints
  /// A fixed, ascending list, e.g. facenet's `np.arange(0, 4, 0.01)`.
  case explicit([Double])
}

/// LFW-protocol face verification: k-fold accuracy with thresholds chosen on the other folds,
/// plus a pooled ROC with AUC, EER and TAR@FAR.
///
/// The protocol is LFW's "View 2" (README, "Test procedure"): for each fold, the threshold that
/// maximises accuracy on the other folds is applied to it; pairs with distance < threshold are
/// called "same". This is davidsandberg/facenet's `calculate_roc` (`KFold(10, shuffle=False)`,
/// first best threshold on ties, `np.less`). Folds are taken from the pairs file.
public enum VerificationEvaluator {
  /// Evaluates embeddings on LFW pairs.
  ///
  /// - Parameters:
  ///   - pairs: Pairs and folds, usually from ``LFWPairs/parse(_:)``.
  ///   - embeddings: One vector per image key.
  ///   - metric: The distance.
  ///   - candidates: Threshold candidates for the fold protocol.
  ///   - farTargets: FARs at which to report TAR.
  /// - Throws: ``VerificationError`` naming a missing key (with its pairs-file line) or a bad
  ///   vector.
  public static func evaluate(
    pairs: LFWPairs, embeddings: EmbeddingTable, metric: DistanceMetric = .cosine,
    candidates: ThresholdCandidates = .midpoints, farTargets: [Double] = [1e-3, 1e-2]
  ) throws -> VerificationReport {
    var distances: [Double] = []
    distances.reserveCapacity(pairs.pairs.count)
    for pair in pairs.pairs {
      guard let a = embeddings.vector(pair.first) else {
        throw VerificationError.missingEmbedding(key: pair.first, line: pair.line)
      }
      guard let b = embeddings.vector(pair.second) else {
        throw VerificationError.missingEmbedding(key: pair.second, line: pair.line)
      }
      distances.append(metric.distance(a, b))
    }
    return try evaluate(
      distances: distances, isSame: pairs.pairs.map(\.isMatch), folds: pairs.pairs.map(\.fold),
      metric: metric, candidates: candidates, farTargets: farTargets)
  }

  /// Evaluates embeddings given as a key → vector dictionary (see the ``EmbeddingTable``
  /// overload).
  ///
  /// - Throws: ``VerificationError`` for a missing key, unequal lengths or NaN/infinite values.
  public static func evaluate(
    pairs: LFWPairs, embeddings: [String: [Float]], metric: DistanceMetric = .cosine,
    candidates: ThresholdCandidates = .midpoints, farTargets: [Double] = [1e-3, 1e-2]
  ) throws -> VerificationReport {
    try evaluate(
      pairs: pairs, embeddings: try EmbeddingTable(embeddings), metric: metric,
      candidates: candidates, farTargets: farTargets)
  }

  /// Evaluates precomputed distances; `folds[n]` is pair n's fold, in `0..<k`.
  ///
  /// - Throws: ``VerificationError`` for mismatched lengths, non-finite distances, or fewer
  ///   than two non-empty folds.
  public static func evaluate(
    distances: [Double], isSame: [Bool], folds: [Int], metric: DistanceMetric,
    candidates: ThresholdCandidates = .midpoints, farTargets: [Double] = [1e-3, 1e-2]
  ) throws -> VerificationReport {
    guard !distances.isEmpty, distances.count == isSame.count, distances.count == folds.count else {
      throw VerificationError.inputShape(
        "there are \(distances.count) distances, \(isSame.count) labels and \(folds.count) fold numbers; they must be equally many and not zero"
      )
    }
    guard isSame.contains(true), isSame.contains(false) else {
      throw VerificationError.inputShape(
        "the pairs must include both same-person and different-person pairs")
    }
    if let n = distances.firstIndex(where: { !$0.isFinite }) {
      throw VerificationError.nonFiniteDistance(pair: n)
    }
    if case .explicit(let list) = candidates, list.isEmpty {
      throw VerificationError.invalidParameter("the explicit threshold list is empty")
    }
    let k = (folds.max() ?? 0) + 1
    guard folds.allSatisfy({ $0 >= 0 }), k >= 2 else {
      throw VerificationError.foldLayout(
        "the k-fold protocol needs at least two folds, numbered from 0")
    }
    var accuracies: [Double] = []
    var thresholds: [Double] = []
    for f in 0..<k {
      let train = distances.indices.filter { folds[$0] != f }
      let test = distances.indices.filter { folds[$0] == f }
      guard !test.isEmpty else { throw VerificationError.foldLayout("fold \(f) has no pairs") }
      let threshold = bestThreshold(
        distances: train.map { distances[$0] }, isSame: train.map { isSame[$0] },
        candidates: candidates)
      let correct = test.filter { (distances[$0] < threshold) == isSame[$0] }.count
      accuracies.append(Double(correct) / Double(test.count))
      thresholds.append(threshold)
    }
    let mean = accuracies.reduce(0, +) / Double(k)
    let squares = accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    let roc = ROCCurve(distances: distances, isSame: isSame)
    return VerificationReport(
      metric: metric, pairs: distances.count, folds: k, accuracy: mean,
      standardDeviation: (squares / Double(k)).squareRoot(),
      standardError: (squares / Double(k - 1)).squareRoot() / Double(k).squareRoot(),
      foldAccuracies: accuracies, foldThresholds: thresholds, roc: roc,
      tarAtFar: farTargets.map {
        let (tar, threshold) = roc.trueAcceptRate(atFalseAcceptRate: $0)
        return .init(far: $0, tar: tar, threshold: threshold)
      })
  }

  /// The candidate with the highest accuracy of "same iff distance < threshold" (first on ties).
  static func bestThreshold(
    distances: [Double], isSame: [Bool], candidates: ThresholdCandidates
  ) -> Double {
    let order = distances.indices.sorted { distances[$0] < distances[$1] }
    let sorted = order.map { distances[$0] }
    let negatives = isSame.filter { !$0 }.count
    // correctBelow(i): correct calls when the i smallest distances are called "same".
    var prefixSame = [0]
    var prefixDifferent = [0]
    for n in order {
      prefixSame.append(prefixSame[prefixSame.count - 1] + (isSame[n] ? 1 : 0))
      prefixDifferent.append(prefixDifferent[prefixDifferent.count - 1] + (isSame[n] ? 0 : 1))
    }
    func correct(acceptingFirst i: Int) -> Int { prefixSame[i] + negatives - prefixDifferent[i] }
    switch candidates {
    case .explicit(let list):
      var best = list[0]
      var bestCorrect = -1
      for t in list {
        let c = correct(acceptingFirst: lowerBound(sorted, t))
        if c > bestCorrect { (best, bestCorrect) = (t, c) }
      }
      return best
    case .midpoints:
      var best = sorted.first ?? 0
      var bestCorrect = correct(acceptingFirst: 0)
      var i = 0
      while i < sorted.count {
        var j = i
        while j < sorted.count && sorted[j] == sorted[i] { j += 1 }
        let c = correct(acceptingFirst: j)
        if c > bestCorrect {
          bestCorrect = c
          best = j < sorted.count ? midpoint(sorted[j - 1], sorted[j]) : sorted[j - 1].nextUp
        }
        i = j
      }
      return best
    }
  }

  /// A value in (a, b] that accepts a and rejects b under `distance < threshold`.
  private static func midpoint(_ a: Double, _ b: Double) -> Double {
    let m = a + (b - a) / 2
    return m > a ? m : b
  }

  /// Number of elements of ascending `values` that are < `t`.
  private static func lowerBound(_ values: [Double], _ t: Double) -> Int {
    var lo = 0
    var hi = values.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if values[mid] < t { lo = mid + 1 } else { hi = mid }
    }
    return lo
  }
}
