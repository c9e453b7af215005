/// The metrics of one epoch: every loss term of both phases, the learning rate, throughput
/// and the validation metric. Rendered to CSV and JSON by ``MetricsHistory``.
public struct EpochRecord: Codable, Equatable, Sendable {
  /// Epoch number, 1-based (the number of epochs completed).
  public var epoch: Int
  /// Learning rate of the epoch's last step.
  public var learningRate: Double
  /// Mean of each training loss term over the epoch's samples (`"loss"` is the total).
  public var train: [String: Double]
  /// Mean of each validation loss term (empty without validation data).
  public var validation: [String: Double]
  /// The validation metric, if one is configured.
  public var metric: Double?
  /// Training images per second (wall clock; not part of the reproducible result).
  public var imagesPerSecond: Double
  /// Wall-clock seconds of the epoch (training and validation).
  public var seconds: Double

  /// Creates a record.
  public init(
    epoch: Int, learningRate: Double, train: [String: Double], validation: [String: Double], metric: Double?,
    imagesPerSecond: Double, seconds: Double
  ) {
    self.epoch = epoch
    self.learningRate = learningRate
    self.train = train
    self.validation = validation
    self.metric = metric
    self.imagesPerSecond = imagesPerSecond
    self.seconds = seconds
  }
}
