import ArgumentParser
import Foundation
import Reporting

extension Workbench {
  /// `workbench report RUN_DIR`: re-renders a finished (or failed) run's report from its run
  /// folder, without re-running anything, and refreshes the run index.
  struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Re-render a run's report from its run folder.",
      discussion: """
        Writes report.html (one self-contained file), report.md with PNG figures in figures/, \
        and summary.json into RUN_DIR, then rewrites index.html and index.md of the reports \
        root (two folders up) unless --no-index is given.
        """)

    @Argument(help: ArgumentHelp("The run folder.", valueName: "RUN_DIR"))
    var runDirectory: String

    @Flag(inversion: .prefixedNo, help: "Rewrite the run index of the reports root (RUN_DIR/../..).")
    var index = true

    func validate() throws {
      let manifest = URL(fileURLWithPath: runDirectory).appendingPathComponent("manifest.json")
      guard FileManager.default.fileExists(atPath: manifest.path) else {
        throw ValidationError(
          "\(runDirectory) has no manifest.json; pass a run folder such as Reports/<experiment>/<run-id>.")
      }
    }

    func run() throws {
      let url = URL(fileURLWithPath: runDirectory).standardizedFileURL
      do {
        try ReportWriter.write(runDirectory: url)
        print("report: \(url.appendingPathComponent("report.html").path)")
        print("        \(url.appendingPathComponent("report.md").path)")
        if index {
          let root = url.deletingLastPathComponent().deletingLastPathComponent()
          try RunIndex.write(reportsRoot: root)
          print("index:  \(root.appendingPathComponent("index.html").path)")
        }
      } catch let error as ReportError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
      }
    }
  }
}
