import Foundation
import Reporting

/// Renders a run's report (report.html, report.md, figures/, summary.json) and refreshes the
/// run index (Reports/index.html, index.md) after `workbench run`, for succeeded and failed runs.
enum ReportHook {
  static func render(_ runDirectory: URL) throws {
    try ReportWriter.write(runDirectory: runDirectory)
    try RunIndex.write(reportsRoot: runDirectory.deletingLastPathComponent().deletingLastPathComponent())
  }
}
