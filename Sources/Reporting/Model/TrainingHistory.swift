/// `stages/train/history.json`: one record per finished epoch.
public struct TrainingHistory: Codable, Equatable, Sendable {
  /// Epochs in order.
  public var epochs: [Epoch]

  /// Creates a history.
  public init(epochs: [Epoch]) { self.epochs = epochs }

  /// One epoch: learning rate, throughput, training loss terms and validation metrics.
  public struct Epoch: Codable, Equatable, Sendable {
    /// 1-based epoch number.
    public var epoch: Int
    /// Learning rate at the end of the epoch.
    public var lr: Double?
    /// Training throughput.
    public var imagesPerSecond: Double?
    /// Mean training loss terms (`loss` is the total), by name.
    public var train: [String: Double]
    /// Validation metrics, by name.
    public var val: [String: Double]

    enum CodingKeys: String, CodingKey {
      case epoch, lr, imagesPerSecond = "images_per_second", train, val
    }

    /// Creates an epoch record.
    public init(epoch: Int, lr: Double?, imagesPerSecond: Double?, train: [String: Double], val: [String: Double]) {
      self.epoch = epoch
      self.lr = lr
      self.imagesPerSecond = imagesPerSecond
      self.train = train
      self.val = val
    }

    /// Decodes leniently: null or non-numeric loss and metric values are left out.
    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      epoch = try c.decode(Int.self, forKey: .epoch)
      lr = try c.decodeIfPresent(Double.self, forKey: .lr)
      imagesPerSecond = try c.decodeIfPresent(Double.self, forKey: .imagesPerSecond)
      train = try Epoch.numbers(c, .train)
      val = try Epoch.numbers(c, .val)
    }

    /// The numeric members of the object under `key` (empty when absent or null).
    static func numbers(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> [String: Double] {
      guard c.contains(key), try !c.decodeNil(forKey: key) else { return [:] }
      return try c.nestedContainer(keyedBy: AnyKey.self, forKey: key).numbers()
    }
  }

  /// Names of the training loss terms, total `loss` first.
  public var lossNames: [String] { TrainingHistory.ordered(Set(epochs.flatMap(\.train.keys)), first: "loss") }

  /// Names of the validation metrics.
  public var validationNames: [String] { TrainingHistory.ordered(Set(epochs.flatMap(\.val.keys)), first: nil) }

  static func ordered(_ names: Set<String>, first: String?) -> [String] {
    let rest = names.subtracting([first].compactMap { $0 }).sorted()
    return (first.map { names.contains($0) ? [$0] : [] } ?? []) + rest
  }
}
