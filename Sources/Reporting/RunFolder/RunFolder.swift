import Foundation
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

  /// Relative paths of the files this library reads.
  public enum File {
    /// The resolved experiment (required).
    public static let experiment = "experiment.json"
    /// The run manifest (required).
    public static let manifest = "manifest.json"
    /// Command-line overrides, `["train.epochs=3", …]`.
    public static let overrides = "overrides.json"
    /// KPIs per variant and their definitions.
    public static let metrics = "metrics.json"
    /// Dataset summary.
    public static let dataSummary = "stages/data/summary.json"
    /// A grid of sample images with ground truth.
    public static let dataSamples = "stages/data/samples.png"
    /// Per-layer costs (Reporting's layout or Graph's `CostReport`).
    public static let modelCost = "stages/model/cost.json"
    /// The model graph as Mermaid text.
    public static let modelGraph = "stages/model/graph.mmd"
    /// Per-epoch training history.
    public static let trainingHistory = "stages/train/history.json"
    /// The same history with this execution's wall time and images/s (not part of the
    /// artifact's hash, so identical runs stay bit-identical); preferred when present.
    public static let trainingHistoryWithTiming = "stages/train/volatile/history.json"
    /// Metrics' `workbench.detection-report`.
    public static let detection = "stages/evaluate/detection.json"
    /// Metrics' `workbench.verification-report`.
    public static let verification = "stages/evaluate/verification.json"
    /// Pair distances for the matched/mismatched histograms.
    public static let verificationDistances = "stages/evaluate/verification_distances.json"
    /// Metrics' `workbench.classification-report`.
    public static let classification = "stages/evaluate/classification.json"
    /// Sample predictions after evaluation (a grid image).
    public static let predictionSamples = "stages/evaluate/samples.png"
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
