import Foundation
import Support
import Tensors
import Training

/// A pipeline stage: a pure function of its settings and its input artifacts to output files.
///
/// Its cache key hashes the code (``CodeVersion/build``, the executable's SHA-256), the BLAS
/// kernel set, the stage name, ``settings(_:)`` (canonical JSON) and the output hashes of the
/// stages it reads, so changing only evaluation settings re-uses the trained model, and any
/// change upstream — or to the code — invalidates everything downstream.
public protocol Stage: Sendable {
  /// Stage name: `data`, `train`, `evaluate`, …; names the folder `stages/<name>/`.
  var name: String { get }
  /// Stages whose outputs this stage reads.
  var inputs: [String] { get }
  /// The part of the experiment this stage's result depends on.
  func settings(_ experiment: ResolvedExperiment) -> JSONValue
  /// Computes the outputs into `context.output`.
  func run(_ context: StageContext) throws
}

/// What a running stage gets: the experiment, folders, input artifacts, a seeded random stream
/// for its own purpose, progress reporting and cooperative cancellation.
public struct StageContext {
  public let experiment: ResolvedExperiment
  /// Where the stage writes its outputs (a private temporary folder, published on success).
  public let output: URL
  /// A folder that survives an interruption of this same stage (same key): checkpoints.
  public let work: URL
  /// Output folders of the stages listed in ``Stage/inputs``.
  public let inputs: [String: URL]
  /// The stage's random stream: `RandomStream(seed: experiment seed).split(stage name)`.
  public let rng: RandomStream
  public let progress: ProgressReporter

  public var settings: ExperimentSettings { experiment.settings }

  /// The folder of input `stage`, or a clear error when the pipeline was wired wrongly.
  public func input(_ stage: String) throws -> URL {
    guard let url = inputs[stage] else { throw StageError.missingInput(stage) }
    return url
  }

  /// Throws ``StageError/interrupted`` when SIGINT/SIGTERM arrived; call at safe points.
  public func checkCancellation() throws {
    if Cancellation.isRequested { throw StageError.interrupted }
  }
}

/// Errors raised by stages.
public enum StageError: Error, CustomStringConvertible {
  case missingInput(String)
  case interrupted
  case failed(String)

  public var description: String {
    switch self {
    case .missingInput(let s): return "internal: the `\(s)` stage's outputs were not provided"
    case .interrupted: return "interrupted; run the same command again to resume from the last checkpoint"
    case .failed(let s): return s
    }
  }
}
