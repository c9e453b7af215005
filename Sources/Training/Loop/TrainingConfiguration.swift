import Foundation
import Tensors

/// The settings of a training run. Plain `Codable` data, so an experiment spec embeds it and
/// its hash is part of the stage's cache key.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
  /// Number of epochs.
  public var epochs: Int
  /// The stream the data order and augmentation derive from (`random → "data" → epoch`): in an
  /// experiment, the train stage's stream of the run's one seed tree.
  public var random: RandomStream
  /// Base (peak, for one-cycle) learning rate.
  public var learningRate: Double
  /// How the learning rate evolves.
  public var schedule: LearningRateSchedule
  /// The optimizer rule and settings.
  public var optimizer: Optimizer.Rule
  /// Apply weight decay to biases and normalisation parameters too (off by default).
  public var decayAllParameters: Bool
  /// Clip gradients to this global L2 norm; nil disables clipping.
  public var gradientClipNorm: Float?
  /// Stop when the validation value stops improving; nil disables.
  public var earlyStopping: EarlyStopping?

  /// Creates a configuration.
  public init(
    epochs: Int, random: RandomStream = RandomStream(seed: 0), learningRate: Double = 0.01,
    schedule: LearningRateSchedule = .constant,
    optimizer: Optimizer.Rule = .sgd(SGD()), decayAllParameters: Bool = false,
    gradientClipNorm: Float? = nil, earlyStopping: EarlyStopping? = nil
  ) {
    self.epochs = epochs
    self.random = random
    self.learningRate = learningRate
    self.schedule = schedule
    self.optimizer = optimizer
    self.decayAllParameters = decayAllParameters
    self.gradientClipNorm = gradientClipNorm
    self.earlyStopping = earlyStopping
  }

  /// Problems with the settings, as sentences (empty when valid).
  public func validate() -> [String] {
    var issues: [String] = []
    if epochs < 1 { issues.append("epochs must be ≥ 1, got \(epochs)") }
    if !(learningRate > 0) { issues.append("learningRate must be > 0, got \(learningRate)") }
    if let c = gradientClipNorm, !(c > 0) { issues.append("gradientClipNorm must be > 0, got \(c)") }
    if let e = earlyStopping, e.patience < 1 { issues.append("earlyStopping.patience must be ≥ 1, got \(e.patience)") }
    return issues
  }

  /// A hash of every setting that changes the trajectory (all but `epochs`, so a finished run
  /// can be extended), FNV-1a 64 over the sorted-keys JSON, as 16 hex digits.
  public var trajectoryHash: String {
    var copy = self
    copy.epochs = 0
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let bytes = (try? encoder.encode(copy)) ?? Data()
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return String(h, radix: 16).leftPadded(to: 16)
  }
}

extension String {
  func leftPadded(to width: Int) -> String { String(repeating: "0", count: Swift.max(0, width - count)) + self }
}
