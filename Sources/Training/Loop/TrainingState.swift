/// The loop's observable state, passed `inout` to callbacks with every ``TrainingEvent``.
public struct TrainingState: Sendable {
  /// Current epoch (0-based) and total epochs.
  public var epoch = 0, epochs = 0
  /// Current batch index and the phase's batch count.
  public var batch = 0, batchCount = 0
  /// Running means over the epoch so far of each loss term (`"loss"` is the total).
  public var runningTerms: [String: Double] = [:]
  /// Learning rate of the last step.
  public var learningRate: Double = 0
  /// Training throughput of the current epoch so far.
  public var imagesPerSecond: Double = 0
  /// Seconds since the epoch's training phase began.
  public var epochSeconds: Double = 0
  /// Wall-clock seconds of the current epoch's training phase spent in each part of a step:
  /// `data` (loading and augmentation), `forward`, `loss`, `backward`, `optimizer` (clipping,
  /// the update and the NaN checks). Profiling aid; not part of the reproducible result.
  public var phaseSeconds: [String: Double] = [:]
  /// One record per finished epoch.
  public var history: [EpochRecord] = []
  /// Set by a callback to stop after the current epoch's checkpoint (resumable).
  public var stopRequested = false

  /// Creates an empty state.
  public init() {}
}

/// A training callback: a logger, a progress display, an interruption trigger, …
public protocol TrainingCallback: AnyObject {
  /// Handles one event; may modify the state (e.g. request a stop). Errors abort training.
  func handle(_ event: TrainingEvent, state: inout TrainingState) throws
}

/// A callback from a closure.
public final class ClosureCallback: TrainingCallback {
  let body: (TrainingEvent, inout TrainingState) throws -> Void
  /// Wraps `body`.
  public init(_ body: @escaping (TrainingEvent, inout TrainingState) throws -> Void) { self.body = body }
  /// Calls the closure.
  public func handle(_ event: TrainingEvent, state: inout TrainingState) throws { try body(event, &state) }
}
