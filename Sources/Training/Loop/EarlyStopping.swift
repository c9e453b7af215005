/// Early stopping on a monitored validation value (Prechelt, "Early Stopping — But When?",
/// 1998): stop when it has not improved by more than `minDelta` for `patience` epochs. The
/// best epoch's weights are kept in their own checkpoint (`checkpoint-best.json`).
public struct EarlyStopping: Codable, Equatable, Sendable {
  /// Epochs without improvement before stopping.
  public var patience: Int
  /// Smallest change that counts as an improvement.
  public var minDelta: Double

  /// Creates the rule.
  public init(patience: Int, minDelta: Double = 0) {
    self.patience = patience
    self.minDelta = minDelta
  }
}

/// The monitored value's progress, saved in checkpoints so a resumed run stops at the same epoch.
public struct EarlyStoppingState: Codable, Equatable, Sendable {
  /// Best value so far.
  public var best: Double?
  /// The (1-based) epoch that reached ``best``.
  public var bestEpoch: Int = 0
  /// Epochs since the last improvement.
  public var epochsWithoutImprovement: Int = 0

  /// Records `value` at `epoch`; returns true if it improved on the best.
  mutating func update(_ value: Double, epoch: Int, higherIsBetter: Bool, minDelta: Double) -> Bool {
    let improved = best.map { higherIsBetter ? value > $0 + minDelta : value < $0 - minDelta } ?? true
    if improved {
      best = value
      bestEpoch = epoch
      epochsWithoutImprovement = 0
    } else {
      epochsWithoutImprovement += 1
    }
    return improved
  }
}
