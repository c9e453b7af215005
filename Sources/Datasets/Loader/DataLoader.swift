import Foundation
import Geometry
import Tensors

/// Batches of Float32 NCHW tensors from a split of a dataset file, read image by image from
/// HDF5 (the file is never loaded whole), with seeded shuffling and augmentation.
///
/// Determinism: the order of epoch `e` is a permutation drawn from `random → "order" → e`, and
/// the augmentation of image `i` in epoch `e` from `random → "augment" → e → i`. A batch is thus
/// a pure function of (file, settings, random stream, epoch, batch index), whatever thread
/// builds it and whenever: prefetching cannot change results.
public final class DataLoader: @unchecked Sendable {
  public let config: LoaderConfig
  /// The dataset and split being read.
  public let file: DatasetFile
  public let split: DatasetSplit
  /// Output channels, height and width of each image in a batch.
  public let outputChannels: Int, outputHeight: Int, outputWidth: Int
  private let random: RandomStream
  private let labels: [Int], identities: [Int], boxes: [[Box]]

  /// Opens `path` and prepares to load `split`.
  /// - Parameter random: the stream all randomness derives from, e.g.
  ///   `RandomStream(seed: experimentSeed).split("data")`.
  public init(path: String, split splitName: String, config: LoaderConfig = LoaderConfig(), random: RandomStream) throws
  {
    try config.validate()
    self.config = config
    self.random = random
    file = try DatasetFile(path: path)
    split = try file.split(splitName)
    outputChannels = config.channels ?? (split.channels >= 3 ? 3 : 1)
    outputHeight = config.height ?? split.height
    outputWidth = config.width ?? split.width
    labels = file.kind == .classification ? try split.labels() : []
    identities = file.kind == .identity ? try split.identities() : []
    boxes = file.kind == .detection ? try split.boxes() : []
  }

  /// Images in the split.
  public var count: Int { split.count }

  /// Batches in one epoch.
  public var batchesPerEpoch: Int {
    config.dropLast ? count / config.batchSize : (count + config.batchSize - 1) / config.batchSize
  }

  /// The order in which epoch `epoch` visits the images.
  public func order(epoch: Int) -> [Int] {
    guard config.shuffle else { return Array(0..<count) }
    var rng = random.split("order").split(index: epoch)
    return rng.permutation(count)
  }

  /// Builds batch `index` of epoch `epoch` on the calling thread.
  public func batch(_ index: Int, epoch: Int) throws -> Batch {
    try batch(index, order: order(epoch: epoch), epoch: epoch)
  }

  /// Iterates over the batches of epoch `epoch`, prefetching `config.prefetch` batches ahead
  /// on a background thread.
  public func epoch(_ epoch: Int) -> BatchIterator {
    BatchIterator(loader: self, epoch: epoch, order: order(epoch: epoch), depth: config.prefetch)
  }

  public func batch(_ index: Int, order: [Int], epoch: Int) throws -> Batch {
    precondition((0..<batchesPerEpoch).contains(index), "DataLoader: batch \(index) out of 0..<\(batchesPerEpoch)")
    let members = Array(order[(index * config.batchSize)..<min(order.count, (index + 1) * config.batchSize)])
    let plane = outputChannels * outputHeight * outputWidth
    var scalars = [Float].uninitialized(count: members.count * plane)  // apply() writes every element
    var pixels = [UInt8](repeating: 0, count: split.height * split.width * split.channels)
    var movedBoxes: [[Box]] = []
    let augmenting = config.augmentation != Augmentation()
    let augmentRoot = random.split("augment").split(index: epoch)
    for (slot, sample) in members.enumerated() {
      try pixels.withUnsafeMutableBufferPointer { try split.readImage(at: sample, into: $0) }
      var rng: RandomStream? = augmenting ? augmentRoot.split(index: sample) : nil
      let transform = PixelTransform.make(
        config: config, source: (split.width, split.height, split.channels),
        output: (outputWidth, outputHeight, outputChannels), rng: &rng)
      pixels.withUnsafeBufferPointer { source in
        scalars.withUnsafeMutableBufferPointer { all in
          let out = UnsafeMutableBufferPointer(rebasing: all[(slot * plane)..<((slot + 1) * plane)])
          transform.apply(
            source: source, sourceWidth: split.width, sourceHeight: split.height, sourceChannels: split.channels,
            into: out, width: outputWidth, height: outputHeight, outChannels: outputChannels, fill: 114.0 / 255)
        }
      }
      if !boxes.isEmpty {
        movedBoxes.append(
          boxes[sample].compactMap { transform.map($0, minVisibility: config.augmentation.minBoxVisibility) })
      }
    }
    return Batch(
      images: Tensor(shape: [members.count, outputChannels, outputHeight, outputWidth], scalars: scalars),
      indices: members, labels: labels.isEmpty ? [] : members.map { labels[$0] },
      identities: identities.isEmpty ? [] : members.map { identities[$0] }, boxes: movedBoxes)
  }
}
