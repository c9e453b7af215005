import Foundation
import RunFormat
import Support

/// Reads the files of a run folder (`Reports/<experiment>/<run-id>/`) defensively.
///
/// A missing optional file gives `nil`; a file that exists but cannot be read or decoded throws
/// a ``ReportError`` naming it by its path relative to the run folder.
public struct RunFolder: Sendable {
  /// The run folder.
  public var url: URL

  /// Wraps the run folder at `url`.
  public init(url: URL) { self.url = url }

  /// Relative paths of the files this library reads (``RunLayout`` is the contract).
  public enum File {
    public static let experiment = RunLayout.experiment
    public static let manifest = RunLayout.manifest
    public static let overrides = RunLayout.overrides
    public static let metrics = RunLayout.metrics
    public static let dataSummary = RunLayout.path(RunLayout.Stage.data, RunLayout.File.dataSummary)
    public static let dataSamples = RunLayout.path(RunLayout.Stage.data, RunLayout.File.samples)
    public static let modelCost = RunLayout.path(RunLayout.Stage.model, RunLayout.File.cost)
    public static let modelGraph = RunLayout.path(RunLayout.Stage.model, RunLayout.File.graphMermaid)
    public static let trainingHistory = RunLayout.path(RunLayout.Stage.train, RunLayout.File.history)
    /// The same history with this execution's wall time and images/s; preferred when present.
    public static let trainingHistoryWithTiming = RunLayout.volatilePath(RunLayout.Stage.train, RunLayout.File.history)
    public static let k210Check = RunLayout.path(RunLayout.Stage.checkK210, RunLayout.File.k210Check)
    public static let k210Simulation = RunLayout.path(RunLayout.Stage.simulateK210, RunLayout.File.k210Simulation)
    public static let compression = RunLayout.path(RunLayout.Stage.compress, RunLayout.File.compression)
    public static let quantization = RunLayout.path(RunLayout.Stage.quantize, RunLayout.File.quantization)
    public static let sensitivity = RunLayout.path(RunLayout.Stage.sensitivity, RunLayout.File.sensitivity)
    /// A file of the float model's evaluation.
    static func floatEvaluation(_ file: String) -> String { RunLayout.path(RunLayout.Stage.evaluate("float"), file) }
    public static let detection = floatEvaluation(RunLayout.File.detection)
    public static let verification = floatEvaluation(RunLayout.File.verification)
    public static let verificationDistances = floatEvaluation(RunLayout.File.verificationDistances)
    public static let classification = floatEvaluation(RunLayout.File.classification)
    public static let predictionSamples = floatEvaluation(RunLayout.File.samples)
  }

  /// The bytes of `path`, or `nil` when it does not exist.
  public func data(_ path: String) throws -> Data? {
    let file = url.appendingPathComponent(path)
    guard FileManager.default.fileExists(atPath: file.path) else { return nil }
    do {
      return try Data(contentsOf: file)
    } catch {
      throw ReportError.unreadable(path: path, reason: FileSystemError.reason(for: error))
    }
  }

  /// The decoded JSON of `path`, or `nil` when it does not exist.
  public func decode<T: Decodable>(_ type: T.Type, _ path: String) throws -> T? {
    guard let data = try data(path) else { return nil }
    do {
      return try JSONDecoder().decode(T.self, from: data)
    } catch let error as DecodingError {
      throw ReportError.malformed(path: path, reason: RunFolder.describe(error))
    } catch {
      throw ReportError.malformed(path: path, reason: "\(error)")
    }
  }

  /// Like ``decode(_:_:)`` but throws ``ReportError/missingRequiredFile(path:)`` when absent.
  public func require<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
    guard let value = try decode(type, path) else { throw ReportError.missingRequiredFile(path: path) }
    return value
  }

  /// The UTF-8 text of `path`, or `nil` when it does not exist.
  public func text(_ path: String) throws -> String? {
    guard let data = try data(path) else { return nil }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ReportError.malformed(path: path, reason: "not UTF-8 text")
    }
    return text
  }

  /// A short sentence for a decoding error: where in the document and what was expected.
  static func describe(_ error: DecodingError) -> String {
    func path(_ keys: [any CodingKey]) -> String {
      let text = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
      return text.isEmpty ? "the top level" : String(text.drop { $0 == "." })
    }
    switch error {
    case .typeMismatch(let type, let context):
      return "at \(path(context.codingPath)) expected \(type) (\(context.debugDescription))"
    case .valueNotFound(let type, let context):
      return "at \(path(context.codingPath)) expected \(type) but found null"
    case .keyNotFound(let key, let context):
      return "at \(path(context.codingPath)) the key '\(key.stringValue)' is missing"
    case .dataCorrupted(let context):
      let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
      return "at \(path(context.codingPath)): \(context.debugDescription)\(underlying)"
    @unknown default:
      return "\(error)"
    }
  }
}
