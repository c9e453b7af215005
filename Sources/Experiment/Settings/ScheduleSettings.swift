import Support
import Training

/// `train.schedule`.
public struct ScheduleSettings: Codable, Equatable, Sendable {
  /// Schedule names (formulas in `LearningRateSchedule`).
  public enum Name: String, SettingChoice {
    /// The peak rate throughout.
    case constant
    /// Multiply by `gamma` every `step_epochs`.
    case step
    /// Multiply by `gamma` at each of `milestones`.
    case multistep
    /// Linear warm-up, then cosine annealing (Loshchilov & Hutter 2017).
    case cosine
    /// One-cycle (Smith & Topin 2017), PyTorch's two-phase cosine form.
    case onecycle
  }

  /// Learning-rate schedule.
  public var name: Name
  /// Linear warm-up length (cosine).
  public var warmupEpochs: Double
  /// Cosine: the warm-up starts at this fraction of the peak rate (Goyal et al. 2017).
  public var warmupStartFactor: Double
  /// Decay period for `step`.
  public var stepEpochs: Int
  /// Decay epochs for `multistep`.
  public var milestones: [Int]
  /// Decay factor for step schedules.
  public var gamma: Double
  /// Final lr as a fraction of the peak (cosine, onecycle).
  public var finalFraction: Double
  /// One-cycle: fraction of training spent increasing the rate (Smith & Topin 2017).
  public var pctStart: Double
  /// One-cycle: the cycle starts at peak / div_factor.
  public var divFactor: Double

  static let schema = Schema.object(
    fields: [
      .init("name", .choice(Name.self, "Learning-rate schedule."), default: "cosine"),
      .init(
        "warmup_epochs",
        .number(min: 0, max: nil, exclusiveMin: false, integer: false, doc: "Linear warm-up length (cosine)."),
        default: 1),
      .init(
        "warmup_start_factor",
        .fraction("Cosine: the warm-up starts at this fraction of the peak rate (Goyal et al. 2017)."), default: 0.1),
      .init("step_epochs", .int(min: 1, "Decay period for `step`."), default: 10),
      .init(
        "milestones", .array(of: .int(min: 1, "Epoch."), minItems: 0, doc: "Decay epochs for `multistep`."),
        default: .array([])),
      .init("gamma", .fraction("Decay factor for step schedules."), default: 0.1),
      .init("final_fraction", .fraction("Final lr as a fraction of the peak (cosine, onecycle)."), default: 0.01),
      .init(
        "pct_start",
        .number(
          min: 0, max: 1, exclusiveMin: true, integer: false,
          doc: "One-cycle: fraction of training spent increasing the rate (Smith & Topin 2017)."), default: 0.3),
      .init(
        "div_factor",
        .number(
          min: 1, max: nil, exclusiveMin: false, integer: false,
          doc: "One-cycle: the cycle starts at peak / div_factor."), default: 25),
    ], doc: "Learning-rate schedule.")

  /// The Training library's schedule for a run of `epochs` epochs.
  public func schedule(epochs: Int) -> LearningRateSchedule {
    let e = Double(epochs)
    switch name {
    case .constant: return .constant
    case .step: return .step(stepEpochs: Double(stepEpochs), gamma: gamma)
    case .multistep: return .multiStep(milestones: milestones.map(Double.init), gamma: gamma)
    case .cosine:
      return .cosine(
        warmupEpochs: min(warmupEpochs, e), totalEpochs: e, warmupStartFactor: warmupStartFactor,
        minFactor: finalFraction)
    case .onecycle:
      return .oneCycle(
        totalEpochs: e, pctStart: pctStart, divFactor: divFactor,
        finalDivFactor: max(1, 1 / max(finalFraction, 1e-6) / divFactor))
    }
  }
}
