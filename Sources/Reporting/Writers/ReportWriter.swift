import Foundation

/// Renders a run folder's report into the run folder: the entry point of the runner and of
/// `workbench report RUN_DIR`.
public enum ReportWriter {
  /// Reads `runDirectory` and writes `report.html` (self-contained), `report.md` with PNGs in
  /// `figures/`, and `summary.json` into it.
  ///
  /// - Parameter runDirectory: `Reports/<experiment>/<run-id>/`.
  /// - Returns: The report that was rendered.
  /// - Throws: ``ReportError`` naming the file that is missing, malformed or unwritable.
  @discardableResult
  public static func write(runDirectory: URL) throws -> RunReport {
    let report = try RunReport.load(from: runDirectory)
    try write(report, to: runDirectory)
    return report
  }

  /// Writes the report of `report` into `directory` (see ``write(runDirectory:)``).
  public static func write(_ report: RunReport, to directory: URL) throws {
    let document = report.document()
    try ReportFiles.write(document, to: directory, stem: "report")
    let summary = RunSummary(report: report, document: document)
    do {
      try ReportFiles.atomicWrite(try summary.jsonData(), to: directory.appendingPathComponent("summary.json"))
    } catch let error as ReportError {
      throw error
    } catch {
      throw ReportError.writeFailed(path: directory.appendingPathComponent("summary.json").path, reason: "\(error)")
    }
  }
}
