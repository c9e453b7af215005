import Autograd
import Datasets
import Geometry
import Training

/// A training batch: images as a constant `Variable`, with the targets the objectives need.
public struct LoaderBatch: TrainingBatch {
  /// The images, `[N, C, H, W]` in [0, 1].
  public var input: Variable
  /// Boxes per image (detection data).
  public var boxes: [[Box]]
  /// Class label per image (classification data).
  public var labels: [Int]
  /// Identity label per image (identity data).
  public var identities: [Int]
  /// Number of images.
  public var sampleCount: Int

  /// Creates a batch.
  public init(input: Variable, boxes: [[Box]], labels: [Int] = [], identities: [Int], sampleCount: Int) {
    (self.input, self.boxes, self.labels, self.identities, self.sampleCount) = (
      input, boxes, labels, identities, sampleCount
    )
  }
}

/// A ``DataLoader`` as the training loop's batch source. Batches of an epoch are read in order
/// from the loader's prefetching iterator; the loader's own seeded streams make every epoch a
/// pure function of (seed, epoch), so a resumed run sees the same batches.
///
/// With `pk` set, batches are P identities × K images (for the lifted structured loss): the
/// epoch's order is the concatenation of ``PKBatchSampler``'s batches.
public final class LoaderSource: BatchSource {
  /// The loader batches are read from.
  public let loader: DataLoader
  /// P×K identity batching, when set.
  public let pk: PKBatchSampler?
  let pkStream: RandomStream
  private var iterator: BatchIterator?
  private var position: (epoch: Int, index: Int) = (-1, -1)
  private var pkOrder: (epoch: Int, order: [Int], batches: Int) = (-1, [], 0)

  /// Reads batches from `loader`; with `pk`, each epoch's P×K order is drawn from
  /// `stream.split("pk")`.
  public init(loader: DataLoader, pk: PKBatchSampler? = nil, stream: RandomStream) {
    self.loader = loader
    self.pk = pk
    self.pkStream = stream.split("pk")
  }

  public func batchCount(epoch: Int) -> Int {
    guard pk != nil else { return loader.batchesPerEpoch }
    return pkPlan(epoch).batches
  }

  private func pkPlan(_ epoch: Int) -> (epoch: Int, order: [Int], batches: Int) {
    if pkOrder.epoch == epoch { return pkOrder }
    let batches = pk?.batches(epoch: epoch, stream: pkStream) ?? []
    pkOrder = (epoch, batches.flatMap { $0 }, batches.count)
    return pkOrder
  }

  public func batch(_ index: Int, epoch: Int, stream: RandomStream) throws -> LoaderBatch {
    let b: Datasets.Batch
    if pk != nil {
      b = try loader.batch(index, order: pkPlan(epoch).order, epoch: epoch)
    } else {
      if position.epoch != epoch || position.index + 1 != index || iterator == nil {
        iterator = loader.epoch(epoch)
        for _ in 0..<index { _ = try iterator?.next() }
      }
      guard let next = try iterator?.next() else {
        throw GraphTrainingError.loaderExhausted(batch: index, epoch: epoch)
      }
      b = next
      position = (epoch, index)
    }
    return LoaderBatch(
      input: Variable(b.images), boxes: b.boxes, labels: b.labels, identities: b.identities, sampleCount: b.count)
  }
}
