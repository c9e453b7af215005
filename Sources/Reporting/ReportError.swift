import Foundation

/// Why a report could not be built or written. Every case names the file involved.
public enum ReportError: Error, Equatable, CustomStringConvertible {
  /// A file every run folder has (`experiment.json`, `manifest.json`) is missing.
  case missingRequiredFile(path: String)
  /// A file exists but cannot be read.
  case unreadable(path: String, reason: String)
  /// A file is not valid JSON or does not have the documented shape.
  case malformed(path: String, reason: String)
  /// An output file could not be written.
  case writeFailed(path: String, reason: String)
  /// A chart could not be rasterised.
  case figureFailed(figure: String, reason: String)

  /// One actionable sentence.
  public var description: String {
    switch self {
    case .missingRequiredFile(let path):
      return
        "\(path) is missing, so this is not a finished run folder; pass a folder Reports/<experiment>/<run-id>/ written by `workbench run`."
    case .unreadable(let path, let reason):
      return "\(path) cannot be read (\(reason)); check its permissions."
    case .malformed(let path, let reason):
      return
        "\(path) is malformed: \(reason). Fix or delete the file (optional files only omit their report section), or re-run the stage that wrote it."
    case .writeFailed(let path, let reason):
      return "\(path) cannot be written (\(reason)); check that the folder is writable and the disk is not full."
    case .figureFailed(let figure, let reason):
      return "Figure '\(figure)' could not be rendered to PNG: \(reason)"
    }
  }
}
