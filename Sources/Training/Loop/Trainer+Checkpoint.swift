import Autograd
import Foundation
import Support

extension Trainer {
  /// `checkpoint-last.json` in the run directory.
  public var lastCheckpointURL: URL? { directory?.appendingPathComponent(Checkpoint.lastFileName) }
  /// `checkpoint-best.json` in the run directory.
  public var bestCheckpointURL: URL? { directory?.appendingPathComponent(Checkpoint.bestFileName) }

  /// A checkpoint of the current state.
  public func makeCheckpoint() -> Checkpoint {
    Checkpoint(
      epoch: completedEpochs,
      parameters: model.parameters.map { StoredTensor(name: $0.name, $0.variable.value) },
      batchNorm: model.batchNormStates.flatMap {
        [
          StoredTensor(name: "\($0.name).runningMean", $0.state.runningMean),
          StoredTensor(name: "\($0.name).runningVar", $0.state.runningVar),
        ]
      },
      optimizerStep: optimizer.state.step,
      optimizerBuffers: optimizer.state.buffers.keys.sorted().compactMap { k in
        optimizer.state.buffers[k].map { StoredTensor(name: k, $0) }
      },
      randomStreams: model.randomStreams,
      history: state.history,
      earlyStopping: earlyStoppingState,
      configurationHash: configuration.trajectoryHash)
  }

  /// Writes the last checkpoint (and the best one when `best`) and the history, atomically.
  func saveCheckpoints(best: Bool) throws {
    guard let directory, let last = lastCheckpointURL, let bestURL = bestCheckpointURL else { return }
    let data: Data
    do { data = try makeCheckpoint().encoded() } catch {
      throw TrainingError.io(path: last.path, reason: "the checkpoint could not be encoded (\(error))")
    }
    if best { try AtomicFile.writeDurably(data, to: bestURL) }
    try AtomicFile.writeDurably(data, to: last)
    do { try MetricsHistory.write(state.history, to: directory) } catch let e as TrainingError { throw e } catch {
      throw TrainingError.io(path: directory.path, reason: "\(error)")
    }
  }

  /// Restores the model, optimizer, random streams, history and early-stopping state.
  /// - Throws: ``TrainingError/checkpoint(_:)`` when the checkpoint does not match the model
  ///   or was written with different settings.
  public func restore(from checkpoint: Checkpoint) throws {
    guard checkpoint.configurationHash == configuration.trajectoryHash else {
      throw TrainingError.checkpoint(
        "the checkpoint was written with different training settings (hash \(checkpoint.configurationHash), now \(configuration.trajectoryHash)); use a new run directory or the original settings"
      )
    }
    let stored = Dictionary(checkpoint.parameters.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    for (name, variable) in model.parameters {
      guard let entry = stored[name] else {
        throw TrainingError.checkpoint("parameter '\(name)' is missing from the checkpoint")
      }
      let t = try entry.tensor()
      guard t.shape == variable.shape else {
        throw TrainingError.checkpoint(
          "parameter '\(name)' has shape \(t.shape) in the checkpoint but \(variable.shape) in the model")
      }
      variable.value = t
    }
    let bn = Dictionary(checkpoint.batchNorm.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    for (name, s) in model.batchNormStates {
      guard let mean = bn["\(name).runningMean"], let variance = bn["\(name).runningVar"] else {
        throw TrainingError.checkpoint("batch-norm statistics of '\(name)' are missing from the checkpoint")
      }
      s.runningMean = try mean.tensor()
      s.runningVar = try variance.tensor()
    }
    var opt = OptimizerState()
    opt.step = checkpoint.optimizerStep
    for b in checkpoint.optimizerBuffers { opt.buffers[b.name] = try b.tensor() }
    optimizer.state = opt
    model.randomStreams = checkpoint.randomStreams
    state.history = checkpoint.history
    earlyStoppingState = checkpoint.earlyStopping
    completedEpochs = checkpoint.epoch
  }
}

extension AtomicFile {
  /// Checkpoints and histories: flushed to disk before the rename, so a run killed with -9 at
  /// any moment finds the old or the new complete file; failures are ``TrainingError/io``.
  static func writeDurably(_ data: Data, to url: URL) throws {
    do { try write(data, to: url, sync: true) } catch let error as FileSystemError {
      throw TrainingError.io(path: error.path, reason: error.reason)
    } catch {
      throw TrainingError.io(path: url.path, reason: "\(error)")
    }
  }
}
