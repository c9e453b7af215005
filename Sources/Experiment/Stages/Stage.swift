import Foundation
import Support
import Tensors
import Training

/// A pipeline stage: a pure function of its settings and its input artifacts to output
/// artifacts.
///
/// Its cache key hashes the code (``CodeVersion/build``, the executable's SHA-256), the BLAS
/// kernel set, the stage name, ``settings(_:)`` (canonical JSON) and the content hashes of the
/// artifacts it reads, so changing only evaluation settings re-uses the trained model, and any
/// change upstream — or to the code — invalidates everything downstream.
///
/// ## Adding a stage
/// 1. Its settings type in `Settings/` (`Codable`, names as ``SettingChoice`` enums, a `schema`
///    next to the fields) and its section in ``ExperimentSchema/root`` and
///    ``ExperimentSettings``.
/// 2. Its file in `Stages/`: a `Stage` that declares ``reads`` and ``writes`` and calls
///    libraries (never another stage's code; shared loading lives in the library it belongs to).
/// 3. One line in ``StageRegistry/stages(for:)``.
/// 4. Its report section in Reporting, reading the files through RunFormat's paths.
public protocol Stage: Sendable {
  /// Stage name: `data`, `train`, `evaluate-float`, …; names the folder `stages/<name>/`.
  var name: String { get }
  /// Artifacts this stage reads (each written by exactly one earlier stage).
  var reads: [ArtifactName] { get }
  /// Artifacts this stage writes into its output folder.
  var writes: [ArtifactOutput] { get }
  /// The part of the experiment this stage's result depends on.
  func settings(_ experiment: ResolvedExperiment) -> JSONValue
  /// Computes the outputs into `context.output`.
  func run(_ context: StageContext) throws
}

/// What a running stage gets: the experiment, folders, input artifacts, its random stream,
/// progress reporting and cooperative cancellation.
public struct StageContext {
  public let experiment: ResolvedExperiment
  /// Where the stage writes its outputs (a private temporary folder, published on success).
  public let output: URL
  /// A folder that survives an interruption of this same stage (same key): checkpoints.
  public let work: URL
  /// The files of each artifact in ``Stage/reads``, main file first.
  public let artifacts: [ArtifactName: [URL]]
  /// The stage's random stream: the run's root stream `RandomStream(seed:)` split by the
  /// stage's name. Split it further by purpose (`"init"`, `"data"`, …); never make another root.
  public let rng: RandomStream
  public let progress: ProgressReporter
  /// For a ``ContinuableStage``: the cache folder of checkpoints shared by every run of the
  /// same trajectory (see ``Cache/checkpointDirectory(stage:key:)``); nil otherwise.
  public var checkpoints: URL? = nil

  public var settings: ExperimentSettings { experiment.settings }

  /// The main file of input artifact `name`, or the file of that artifact named `file`.
  public func artifact(_ name: ArtifactName, file: String? = nil) throws -> URL {
    guard let urls = artifacts[name], let first = urls.first else { throw StageError.missingInput(name.rawValue) }
    guard let file else { return first }
    guard let url = urls.first(where: { $0.lastPathComponent == file }) else {
      throw StageError.missingInput("\(name) (\(file))")
    }
    return url
  }

  /// The path in the output folder of a file this stage writes.
  public func outputFile(_ file: String) -> URL { output.appendingPathComponent(file) }

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
    case .missingInput(let s): return "internal: the artifact `\(s)` was not provided to the stage"
    case .interrupted: return "interrupted; run the same command again to resume from the last checkpoint"
    case .failed(let s): return s
    }
  }
}
