import Foundation

/// The clip-threshold searches over an ``AbsHistogram`` of |x|.
///
/// `levels` is the number of quantization steps that cover [0, T]: 255 for a non-negative
/// tensor stored as uint8 on [0, T], 127.5 for a signed one stored as uint8 on [−T, T] (the
/// step is then 2T/255). Candidates are the bin edges i·w for i ≥ `minBins`.
public enum ClipThreshold {
  /// The percentile rule: the upper edge of the first bin where the cumulative count reaches
  /// `percent` % of the total.
  public static func percentile(_ h: AbsHistogram, percent: Double) -> Double {
    let target = Double(h.total) * percent / 100
    var cumulative = 0
    for (i, c) in h.counts.enumerated() {
      cumulative += c
      if Double(cumulative) >= target { return h.edge(i + 1) }
    }
    return h.edge(h.counts.count)
  }

  /// TensorRT's entropy calibration. For each candidate i (bins kept), the reference P is
  /// bins 0..<i with every count beyond added to bin i−1; the candidate Q merges bins 0..<i
  /// (without the outliers) into `quantBins` groups of ⌊i / quantBins⌋ bins (the last group takes
  /// the remainder) and spreads each group's sum evenly over the group's bins where P ≠ 0.
  /// Both are smoothed (every zero gets ε = 1e-4, taken evenly from the non-zeros, as MXNet's
  /// `_smooth_distribution` does) and normalised; the threshold is i·w for the i of least
  /// KL(P‖Q). `quantBins` is 128 for signed tensors and 256 for non-negative ones.
  public static func kld(_ h: AbsHistogram, quantBins: Int) -> Double {
    let bins = h.counts.count
    guard h.binWidth > 0, quantBins < bins else { return h.edge(bins) }
    let hist = h.counts.map(Double.init)
    var suffix = [Double](repeating: 0, count: bins + 1)
    for i in stride(from: bins - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] + hist[i] }
    var best = (kl: Double.infinity, i: bins)
    for i in quantBins...bins {
      var p = Array(hist[0..<i])
      p[i - 1] += suffix[i]
      var q = [Double](repeating: 0, count: i)
      let merged = i / quantBins
      for j in 0..<quantBins {
        let start = j * merged, stop = j == quantBins - 1 ? i : start + merged
        var sum = 0.0, nonzero = 0
        for k in start..<stop {
          sum += hist[k]
          if p[k] != 0 { nonzero += 1 }
        }
        guard nonzero > 0 else { continue }
        let share = sum / Double(nonzero)
        for k in start..<stop where p[k] != 0 { q[k] = share }
      }
      guard let ps = smoothed(p), let qs = smoothed(q) else { continue }
      let kl = divergence(ps, qs)
      if kl < best.kl { best = (kl, i) }
    }
    return h.edge(best.i)
  }

  /// The threshold minimising the expected squared error of quantizing the bin centres
  /// c_k = (k + ½)·w with step T / `levels` (round half away from zero, clamped to T).
  public static func mse(_ h: AbsHistogram, levels: Double, minBins: Int = 1) -> Double {
    let bins = h.counts.count
    guard h.binWidth > 0 else { return 0 }
    var best = (error: Double.infinity, i: bins)
    for i in max(1, minBins)...bins {
      let t = h.edge(i), step = t / levels
      var error = 0.0
      for (k, c) in h.counts.enumerated() where c != 0 {
        let centre = (Double(k) + 0.5) * h.binWidth
        let q = min((centre / step).rounded() * step, t)
        error += Double(c) * (centre - q) * (centre - q)
      }
      if error < best.error { best = (error, i) }
    }
    return h.edge(best.i)
  }

  /// Normalised distribution with zeros replaced by ε and the non-zeros reduced to compensate;
  /// nil when the distribution is empty or ε would swamp it.
  static func smoothed(_ d: [Double], eps: Double = 1e-4) -> [Double]? {
    let total = d.reduce(0, +)
    guard total > 0 else { return nil }
    let normal = d.map { $0 / total }
    let zeros = normal.filter { $0 == 0 }.count, nonzeros = normal.count - zeros
    guard nonzeros > 0 else { return nil }
    let eps1 = eps * Double(zeros) / Double(nonzeros)
    guard eps1 < 1 else { return nil }
    return normal.map { $0 == 0 ? eps : $0 - eps1 }
  }

  /// KL(p‖q) = Σ p·log(p/q) over p > 0.
  static func divergence(_ p: [Double], _ q: [Double]) -> Double {
    var d = 0.0
    for (a, b) in zip(p, q) where a > 0 {
      if b <= 0 { return .infinity }
      d += a * log(a / b)
    }
    return d
  }
}
