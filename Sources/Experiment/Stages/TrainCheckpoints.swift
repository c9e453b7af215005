import Foundation
import Support
import Training

/// The checkpoints one training trajectory leaves in the cache (``StageContext/checkpoints``):
/// `epoch-<k>.json`, the trainer's checkpoint after `k` epochs, kept by every run that stops
/// before `train.epochs` (`train.stop_after_epochs`). A later run of the same trajectory that
/// goes further starts from the furthest one it does not overshoot: an ASHA rung continues the
/// trial's lower rung instead of retraining it. Resuming is bit-identical (see `Trainer`), so
/// the continued run equals one trained straight to its epochs.
struct TrainCheckpoints {
  let folder: URL

  /// The stored epochs, ascending.
  func epochs() -> [Int] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.compactMap { name -> Int? in
      guard name.hasPrefix("epoch-"), name.hasSuffix(".json") else { return nil }
      return Int(name.dropFirst("epoch-".count).dropLast(".json".count))
    }.sorted()
  }

  func file(epoch: Int) -> URL { folder.appendingPathComponent("epoch-\(epoch).json") }

  /// Copies the furthest stored checkpoint of at most `epochs` epochs into `work` as the
  /// trainer's last checkpoint, unless `work` already holds one (an interrupted run of this
  /// very stage resumes its own). Returns the epoch it starts from, if any.
  func seed(work: URL, upTo epochs: Int) throws -> Int? {
    let last = work.appendingPathComponent(Checkpoint.lastFileName)
    guard !FileManager.default.fileExists(atPath: last.path),
      let start = self.epochs().last(where: { $0 <= epochs })
    else { return nil }
    try AtomicWrite.write(try FileSystem.read(file(epoch: start).path, "a stored training checkpoint"), to: last)
    return start
  }

  /// Keeps `work`'s last checkpoint (after `epoch` epochs) for later runs of the trajectory.
  func keep(work: URL, epoch: Int) throws {
    let last = work.appendingPathComponent(Checkpoint.lastFileName)
    guard !FileManager.default.fileExists(atPath: file(epoch: epoch).path) else { return }
    try FileSystem.createFolder(folder, "the trajectory's checkpoint folder")
    try AtomicFile.write(try FileSystem.read(last.path, "the training checkpoint"), to: file(epoch: epoch), sync: true)
  }
}
