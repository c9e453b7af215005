/// Where the loop is, sent to every ``TrainingCallback`` (as in swift-models' training loop
/// events): callbacks observe, log and may request a stop through ``TrainingState``.
public enum TrainingEvent: Equatable, Sendable {
  /// Before the first epoch (after a resume, before the first remaining epoch).
  case fitStart
  /// An epoch (0-based) begins.
  case epochStart(epoch: Int)
  /// A training batch finished (optimizer step done).
  case trainBatchEnd(batch: Int)
  /// A validation batch finished.
  case validationBatchEnd(batch: Int)
  /// An epoch finished; its record is the last of `state.history` and its checkpoint is written.
  case epochEnd(epoch: Int)
  /// Training ended, for the given reason.
  case fitEnd(StopReason)
}

/// Why training ended.
public enum StopReason: Equatable, Sendable, Codable {
  /// All epochs ran.
  case completed
  /// The validation metric stopped improving for `patience` epochs.
  case earlyStopped(bestEpoch: Int)
  /// A callback set `state.stopRequested` (e.g. an interruption); the run can be resumed.
  case requested
  /// A NaN/Inf was found; the message names the loss term or parameter.
  case nonFinite(String)
}
