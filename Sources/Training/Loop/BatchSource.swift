import Tensors

/// One batch: the model's input and how many samples it holds (for throughput and weighted
/// means). Targets are whatever the objective needs and live in the conforming type.
public protocol TrainingBatch {
  /// What the model's forward pass consumes.
  associatedtype Input
  /// The model input of this batch.
  var input: Input { get }
  /// Number of samples (images) in the batch.
  var sampleCount: Int { get }
}

/// A source of batches for one phase (training or validation), addressed by epoch and index.
///
/// The trainer calls ``batch(_:epoch:stream:)`` for indices `0..<batchCount(epoch:)` in order,
/// passing the same `stream` for every batch of an epoch (already split by epoch from the run's
/// seed). Deriving the epoch's shuffle and augmentation from that stream alone — e.g.
/// `stream.split("shuffle").permutation(n)` and `stream.split("augment").split(index: sample)` —
/// makes an epoch's batches a pure function of (seed, epoch), which is what lets an interrupted
/// run resume bit-identically. A loader may prefetch ahead, since the order is sequential.
public protocol BatchSource {
  /// The batch type.
  associatedtype Batch: TrainingBatch
  /// Number of batches in `epoch`.
  func batchCount(epoch: Int) -> Int
  /// Batch `index` of `epoch`.
  func batch(_ index: Int, epoch: Int, stream: RandomStream) throws -> Batch
}
