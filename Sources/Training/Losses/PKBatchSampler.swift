import Tensors

/// Builds metric-learning batches of P identities × K images each (Hermans, Beyer & Leibe,
/// "In Defense of the Triplet Loss for Person Re-Identification", 2017, §3), so that every
/// sample of a batch has K − 1 positives and (P − 1)·K negatives.
///
/// Each epoch shuffles the identities that have at least one image and cuts them into groups
/// of P (a last incomplete group is dropped). For each identity, K images are drawn without
/// replacement when it has at least K, otherwise with replacement. All choices come from the
/// given ``RandomStream`` split by epoch, so an epoch's batches are a pure function of
/// (stream, epoch) and a resumed run sees the same batches.
public struct PKBatchSampler: Sendable {
  /// Identities per batch (P).
  public let identitiesPerBatch: Int
  /// Images per identity (K).
  public let imagesPerIdentity: Int
  /// Sample indices of each identity, identities in ascending label order.
  public let indicesByIdentity: [(label: Int, indices: [Int])]

  /// Groups the dataset's samples by label.
  /// - Throws: ``TrainingError/invalidConfiguration(_:)`` when P < 2, K < 2, or fewer than P
  ///   identities exist.
  public init(labels: [Int], identitiesPerBatch p: Int, imagesPerIdentity k: Int) throws {
    guard p >= 2, k >= 2 else {
      throw TrainingError.invalidConfiguration(
        "PKBatchSampler needs P ≥ 2 identities and K ≥ 2 images per identity, got P = \(p), K = \(k)")
    }
    var groups: [Int: [Int]] = [:]
    for (i, l) in labels.enumerated() { groups[l, default: []].append(i) }
    guard groups.count >= p else {
      throw TrainingError.invalidConfiguration(
        "PKBatchSampler: the data has \(groups.count) identities but P = \(p) per batch; lower P")
    }
    identitiesPerBatch = p
    imagesPerIdentity = k
    indicesByIdentity = groups.keys.sorted().map { ($0, groups[$0] ?? []) }
  }

  /// Number of batches in an epoch.
  public var batchCount: Int { indicesByIdentity.count / identitiesPerBatch }

  /// The batches of `epoch`: each a list of P·K sample indices, identity by identity.
  public func batches(epoch: Int, stream: RandomStream) -> [[Int]] {
    var rng = stream.split("pk-sampler").split(index: epoch)
    let order = rng.permutation(indicesByIdentity.count)
    return (0..<batchCount).map { batch in
      var out: [Int] = []
      for slot in 0..<identitiesPerBatch {
        let images = indicesByIdentity[order[batch * identitiesPerBatch + slot]].indices
        if images.count >= imagesPerIdentity {
          out += rng.permutation(images.count).prefix(imagesPerIdentity).map { images[$0] }
        } else {
          out += (0..<imagesPerIdentity).map { _ in images[rng.nextInt(below: images.count)] }
        }
      }
      return out
    }
  }
}
