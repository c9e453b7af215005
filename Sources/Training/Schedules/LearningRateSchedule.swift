import Foundation

/// The learning rate as a function of training progress, measured in (fractional) epochs:
/// batch `i` of `n` in epoch `e` (0-based) is at `e + i / n`, so schedules are smooth within
/// an epoch and independent of the batch count.
///
/// - `constant`: η.
/// - `step`: `η · γ^⌊t / stepEpochs⌋`.
/// - `multiStep`: `η · γ^(number of milestones ≤ t)`.
/// - `cosine`: a linear warm-up from `η · warmupStartFactor` to `η` over `warmupEpochs`, then
///   cosine annealing to `η · minFactor` at `totalEpochs` (Loshchilov & Hutter, "SGDR", ICLR
///   2017, without restarts; warm-up as in Goyal et al. 2017).
/// - `oneCycle`: Smith & Topin, "Super-Convergence", 2017, in PyTorch's two-phase cosine form:
///   from `η / divFactor` up to `η` over the first `pctStart` of `totalEpochs`, then down to
///   `η / (divFactor · finalDivFactor)`. Here η is the peak (PyTorch's `max_lr`).
public enum LearningRateSchedule: Codable, Equatable, Sendable {
  /// The base rate throughout.
  case constant
  /// Multiply by `gamma` every `stepEpochs` epochs.
  case step(stepEpochs: Double, gamma: Double)
  /// Multiply by `gamma` at each milestone epoch.
  case multiStep(milestones: [Double], gamma: Double)
  /// Linear warm-up, then cosine annealing to `minFactor` of the base rate.
  case cosine(warmupEpochs: Double, totalEpochs: Double, warmupStartFactor: Double, minFactor: Double)
  /// One-cycle: cosine up to the base (peak) rate over `pctStart`, then down.
  case oneCycle(totalEpochs: Double, pctStart: Double, divFactor: Double, finalDivFactor: Double)

  /// The learning rate at progress `t` (epochs) for base rate `base`.
  public func learningRate(base: Double, at t: Double) -> Double {
    switch self {
    case .constant:
      return base
    case let .step(stepEpochs, gamma):
      return base * pow(gamma, (t / stepEpochs).rounded(.down))
    case let .multiStep(milestones, gamma):
      return base * pow(gamma, Double(milestones.filter { $0 <= t }.count))
    case let .cosine(warmup, total, startFactor, minFactor):
      if t < warmup {
        return base * (startFactor + (1 - startFactor) * t / warmup)
      }
      let progress = Swift.min(Swift.max((t - warmup) / Swift.max(total - warmup, 1e-12), 0), 1)
      return base * (minFactor + (1 - minFactor) * 0.5 * (1 + cos(Double.pi * progress)))
    case let .oneCycle(total, pctStart, divFactor, finalDivFactor):
      let peakAt = pctStart * total
      let initial = base / divFactor, final = initial / finalDivFactor
      if t < peakAt {
        return Self.cosineRamp(from: initial, to: base, fraction: t / peakAt)
      }
      return Self.cosineRamp(
        from: base, to: final, fraction: Swift.min((t - peakAt) / Swift.max(total - peakAt, 1e-12), 1))
    }
  }

  /// Cosine interpolation from `a` (fraction 0) to `b` (fraction 1).
  static func cosineRamp(from a: Double, to b: Double, fraction: Double) -> Double {
    b + (a - b) * 0.5 * (1 + cos(Double.pi * fraction))
  }
}
