import Foundation
import Support
import Tensors

/// Everything needed to continue a run exactly where it stopped, written after every epoch.
///
/// Format (version 1): one JSON document with sorted keys — `formatVersion`, `epoch` (epochs
/// completed), `parameters` and `batchNorm` (``StoredTensor`` lists; BN entries are
/// `<layer>.runningMean` / `<layer>.runningVar`), `optimizerStep` and `optimizerBuffers`,
/// `randomStreams` (``RandomStream`` values by purpose: the model's streams), `history`,
/// `earlyStopping`, and `configurationHash` (resuming with different settings is refused).
/// Files are replaced atomically (``AtomicFile``).
public struct Checkpoint: Codable, Equatable, Sendable {
  /// The format version this code writes and reads.
  public static let currentFormatVersion = 1
  /// File name of the checkpoint after the most recent epoch.
  public static let lastFileName = "checkpoint-last.json"
  /// File name of the checkpoint of the best validation epoch.
  public static let bestFileName = "checkpoint-best.json"

  /// The format version of this checkpoint.
  public var formatVersion = Checkpoint.currentFormatVersion
  /// Number of epochs completed; a resumed run starts at this (0-based) epoch.
  public var epoch: Int
  /// Every parameter by its dotted name.
  public var parameters: [StoredTensor]
  /// Batch-norm running statistics, `<layer>.runningMean` and `<layer>.runningVar`.
  public var batchNorm: [StoredTensor]
  /// The optimizer's step count.
  public var optimizerStep: Int
  /// The optimizer's buffers by key (``OptimizerState/buffers``), sorted by key.
  public var optimizerBuffers: [StoredTensor]
  /// The model's random streams by purpose (``TrainableModel/randomStreams``).
  public var randomStreams: [String: RandomStream]
  /// One record per completed epoch.
  public var history: [EpochRecord]
  /// Early-stopping progress.
  public var earlyStopping: EarlyStoppingState
  /// ``TrainingConfiguration/trajectoryHash`` of the run that wrote it.
  public var configurationHash: String

  /// Serialises the checkpoint.
  public func encoded() throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return try encoder.encode(self)
  }

  /// Reads a checkpoint file.
  /// - Throws: ``TrainingError/checkpoint(_:)`` for unreadable files or unknown versions.
  public static func read(_ url: URL) throws -> Checkpoint {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw TrainingError.checkpoint("cannot read '\(url.path)': \(FileSystemError.reason(for: error))")
    }
    let checkpoint: Checkpoint
    do { checkpoint = try JSONDecoder().decode(Checkpoint.self, from: data) } catch {
      throw TrainingError.checkpoint("'\(url.path)' is not a valid checkpoint (\(error)); delete it to start over")
    }
    guard checkpoint.formatVersion == currentFormatVersion else {
      throw TrainingError.checkpoint(
        "'\(url.path)' has format version \(checkpoint.formatVersion); this Workbench reads version \(currentFormatVersion)"
      )
    }
    return checkpoint
  }
}
