import ArgumentParser
import Foundation
import Reporting

extension Workbench {
  /// `workbench compare RUN_A RUN_B`: a side-by-side report of two runs (settings diff, KPI
  /// diff, overlaid curves).
  struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare two runs side by side.",
      discussion: """
        Writes compare.html, compare.md and figures/ into --out (default: \
        <reports root of RUN_A>/compare/<run A>-vs-<run B>).
        """)

    @Argument(help: ArgumentHelp("The baseline run folder.", valueName: "RUN_A"))
    var runA: String

    @Argument(help: ArgumentHelp("The run folder to compare with it.", valueName: "RUN_B"))
    var runB: String

    @Option(name: .long, help: ArgumentHelp("Output folder.", valueName: "DIR"))
    var out: String?

    func validate() throws {
      for run in [runA, runB] {
        let manifest = URL(fileURLWithPath: run).appendingPathComponent("manifest.json")
        guard FileManager.default.fileExists(atPath: manifest.path) else {
          throw ValidationError("\(run) has no manifest.json; pass run folders such as Reports/<experiment>/<run-id>.")
        }
      }
    }

    func run() throws {
      let a = URL(fileURLWithPath: runA).standardizedFileURL
      let b = URL(fileURLWithPath: runB).standardizedFileURL
      let destination =
        out.map { URL(fileURLWithPath: $0).standardizedFileURL }
        ?? a.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("compare")
        .appendingPathComponent("\(a.lastPathComponent)-vs-\(b.lastPathComponent)")
      do {
        try CompareReport.write(a: a, b: b, to: destination)
        print("compare: \(destination.appendingPathComponent("compare.html").path)")
        print("         \(destination.appendingPathComponent("compare.md").path)")
      } catch let error as ReportError {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode.failure
      }
    }
  }
}
