/// `stages/train/history.json`: one record per finished epoch, as the Training library's
/// `MetricsHistory` writes it: a top-level array of `EpochRecord` (`epoch`, `learningRate`,
/// `imagesPerSecond`, `seconds`, `train` and `validation` loss terms, the validation `metric`).
/// The train stage keeps timing (`imagesPerSecond`, `seconds`) only in `volatile/history.json`.
public struct TrainingHistory: Codable, Equatable, Sendable {
  /// Epochs in order.
  public var epochs: [Epoch]

  /// Creates a history.
  public init(epochs: [Epoch]) { self.epochs = epochs }

  /// Decodes the array of epoch records.
  public init(from decoder: any Decoder) throws {
    epochs = try decoder.singleValueContainer().decode([Epoch].self)
  }

  /// Encodes the array of epoch records.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(epochs)
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

    /// Decodes an `EpochRecord`; null or non-numeric loss and metric values are left out.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: AnyKey.self)
      guard let epoch = try c.first(Int.self, "epoch") else {
        throw DecodingError.keyNotFound(
          AnyKey("epoch"), .init(codingPath: c.codingPath, debugDescription: "each epoch record needs 'epoch'"))
      }
      self.epoch = epoch
      lr = try c.first(Double.self, "learningRate")
      imagesPerSecond = try c.first(Double.self, "imagesPerSecond")
      seconds = try c.first(Double.self, "seconds")
      train = try Epoch.numbers(c, "train")
      validationLoss = try Epoch.numbers(c, "validation")
      val = [:]
      if let metric = try c.first(Double.self, "metric") { val["metric"] = metric }
    }

    /// Encodes an `EpochRecord`.
    public func encode(to encoder: any Encoder) throws {
      var c = encoder.container(keyedBy: AnyKey.self)
      try c.encode(epoch, forKey: AnyKey("epoch"))
      try c.encodeIfPresent(lr, forKey: AnyKey("learningRate"))
      try c.encodeIfPresent(imagesPerSecond, forKey: AnyKey("imagesPerSecond"))
      try c.encodeIfPresent(seconds, forKey: AnyKey("seconds"))
      try c.encode(train, forKey: AnyKey("train"))
      try c.encode(validationLoss, forKey: AnyKey("validation"))
      try c.encodeIfPresent(val["metric"], forKey: AnyKey("metric"))
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
