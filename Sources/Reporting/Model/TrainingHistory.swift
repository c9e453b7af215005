/// `stages/train/history.json`: one record per finished epoch.
///
/// Two layouts are accepted: the report contract `{"epochs": [{"epoch", "lr",
/// "images_per_second", "train": {…}, "val": {…}}]}` and Training's `MetricsHistory` JSON, a
/// top-level array of `EpochRecord` (`epoch`, `learningRate`, `imagesPerSecond`, `seconds`,
/// `train`, `validation` loss terms and the validation `metric`).
public struct TrainingHistory: Codable, Equatable, Sendable {
  /// Epochs in order.
  public var epochs: [Epoch]

  /// Creates a history.
  public init(epochs: [Epoch]) { self.epochs = epochs }

  /// Decodes either layout.
  public init(from decoder: any Decoder) throws {
    if let c = try? decoder.container(keyedBy: AnyKey.self) {
      epochs = try c.first([Epoch].self, "epochs") ?? []
    } else {
      epochs = try decoder.singleValueContainer().decode([Epoch].self)
    }
  }

  /// One epoch: learning rate, throughput, training and validation loss terms and validation
  /// metrics.
  public struct Epoch: Codable, Equatable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Learning rate at the end of the epoch.
    public var lr: Double?
    /// Training throughput.
    public var imagesPerSecond: Double?
    /// Wall-clock seconds of the epoch.
    public var seconds: Double?
    /// Mean training loss terms (`loss` is the total), by name.
    public var train: [String: Double]
    /// Mean validation loss terms, by name.
    public var validationLoss: [String: Double]
    /// Validation metrics, by name (Training's single `metric` appears as `metric`).
    public var val: [String: Double]

    /// Creates an epoch record.
    public init(
      epoch: Int, lr: Double?, imagesPerSecond: Double?, seconds: Double? = nil, train: [String: Double],
      validationLoss: [String: Double] = [:], val: [String: Double]
    ) {
      self.epoch = epoch
      self.lr = lr
      self.imagesPerSecond = imagesPerSecond
      self.seconds = seconds
      self.train = train
      self.validationLoss = validationLoss
      self.val = val
    }

    /// Decodes either spelling; null or non-numeric loss and metric values are left out.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: AnyKey.self)
      guard let epoch = try c.first(Int.self, "epoch") else {
        throw DecodingError.keyNotFound(
          AnyKey("epoch"), .init(codingPath: c.codingPath, debugDescription: "each epoch record needs 'epoch'"))
      }
      self.epoch = epoch
      lr = try c.first(Double.self, "lr", "learningRate", "learning_rate")
      imagesPerSecond = try c.first(Double.self, "images_per_second", "imagesPerSecond")
      seconds = try c.first(Double.self, "seconds")
      train = try Epoch.numbers(c, "train")
      validationLoss = try Epoch.numbers(c, "validation")
      val = try Epoch.numbers(c, "val")
      if val["metric"] == nil, let metric = try c.first(Double.self, "metric") { val["metric"] = metric }
    }

    /// The numeric members of the object under `key` (empty when absent or null).
    static func numbers(_ c: KeyedDecodingContainer<AnyKey>, _ key: String) throws -> [String: Double] {
      let k = AnyKey(key)
      guard c.contains(k), try !c.decodeNil(forKey: k) else { return [:] }
      return try c.nestedContainer(keyedBy: AnyKey.self, forKey: k).numbers()
    }
  }

  /// Names of the training loss terms, total `loss` first.
  public var lossNames: [String] { TrainingHistory.ordered(Set(epochs.flatMap(\.train.keys)), first: "loss") }

  /// Names of the validation loss terms, total `loss` first.
  public var validationLossNames: [String] {
    TrainingHistory.ordered(Set(epochs.flatMap(\.validationLoss.keys)), first: "loss")
  }

  /// Names of the validation metrics.
  public var validationNames: [String] { TrainingHistory.ordered(Set(epochs.flatMap(\.val.keys)), first: nil) }

  static func ordered(_ names: Set<String>, first: String?) -> [String] {
    let rest = names.subtracting([first].compactMap { $0 }).sorted()
    return (first.map { names.contains($0) ? [$0] : [] } ?? []) + rest
  }
}
