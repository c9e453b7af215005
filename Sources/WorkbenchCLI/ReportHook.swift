import Foundation

/// Renders a run's report after `workbench run` (set by the Reporting integration).
enum ReportHook {
  static func render(_ runDirectory: URL) throws {}
}
