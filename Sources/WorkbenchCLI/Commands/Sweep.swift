import ArgumentParser
import Experiment
import Foundation
import Support

extension Workbench {
  /// `workbench sweep FILE` and `workbench sweep status DIR`: many trials of one experiment.
  struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "sweep",
      abstract: "Run a sweep: many trials of a base experiment over a search space, and their Pareto front.",
      subcommands: [Start.self, Status.self, SchemaCommand.self], defaultSubcommand: Start.self)

    /// `workbench sweep FILE`.
    struct Start: ParsableCommand {
      static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run (or resume) the sweep in FILE.",
        discussion: """
          Results go to Reports/<sweep>/<sweep-id>/: trials.json, trials.csv, report.html, report.md and \
          trials/<trial-id>/ (each trial's run folders). A trial id is a hash of the trial's resolved \
          experiment: running the sweep again re-uses finished trials, and every trial re-uses cached \
          stages it shares with others. A failing trial is recorded with its stage and error and the \
          sweep goes on. Exit codes: 0 every trial succeeded, 1 a trial failed, 2 invalid sweep, \
          130 interrupted (run again to resume).
          """)

      @Argument(help: "Sweep file (JSON), e.g. Experiments/quick-sweep.json.")
      var file: String

      @Flag(help: "List the trials and how many of their stages are cached, then stop.")
      var dryRun = false

      @Option(help: "Run at most this many trials (the first in grid or draw order).")
      var maxTrials: Int?

      @Option(
        help: """
          Trials run at once, each as a `workbench run` child process on the shared cache. \
          Default 1: training already uses both cores of a small machine, so parallel trials mostly \
          compete for them.
          """)
      var jobs = 1

      @Option(help: "Folder of run folders.")
      var reports = "Reports"

      func validate() throws {
        if let m = maxTrials, m < 1 { throw ValidationError("--max-trials must be at least 1, got \(m)") }
        if jobs < 1 { throw ValidationError("--jobs must be at least 1, got \(jobs)") }
      }

      func run() throws {
        let spec: SweepSpec
        let trials: [SweepTrial]
        do {
          spec = try SweepLoader.load(path: file)
          trials = try SweepTrials.make(spec, maxTrials: maxTrials)
        } catch let e as SpecError {
          FileHandle.standardError.write(Data("error: \(e)\n".utf8))
          throw ExitCode(2)
        } catch let e as FileSystemError {
          FileHandle.standardError.write(Data("error: \(e)\n".utf8))
          throw ExitCode(2)
        }
        var options = SweepRunner.Options()
        options.runner.reportsRoot = URL(fileURLWithPath: reports)
        options.runner.afterRun = ReportHook.render
        options.jobs = jobs
        options.executable = Self.executable()
        let dir = try SweepRunner.directory(spec, reportsRoot: options.runner.reportsRoot)
        if dryRun {
          print("sweep \(spec.name) (\(spec.search.rawValue), \(trials.count) trials) → \(dir.path)")
          for (i, t) in trials.enumerated() {
            let plan = try Runner().plan(t.experiment, options: options.runner)
            let cached = plan.filter(\.cached).count
            let done = SweepRunner.record(t, in: dir, spec: spec, status: "to run").status == "succeeded"
            let state = done ? "finished (re-used)" : "\(cached)/\(plan.count) stages cached"
            print("  [\(i + 1)] \(t.id)  \(state)  \(t.label)")
          }
          return
        }
        Cancellation.install()
        let results: SweepResults
        do {
          (_, results) = try SweepRunner().run(spec, trials: trials, options: options)
        } catch StageError.interrupted {
          FileHandle.standardError.write(Data("interrupted; run the same command again to resume\n".utf8))
          throw ExitCode(130)
        }
        print("sweep folder: \(dir.path)")
        print(SweepStatusText.summary(results))
        if results.trials.contains(where: { $0.status != "succeeded" }) { throw ExitCode(1) }
      }

      /// This executable, which children run as `workbench run`.
      static func executable() -> URL? {
        if let p = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
          return URL(fileURLWithPath: p)
        }
        return Bundle.main.executableURL
      }
    }

    /// `workbench sweep status DIR`.
    struct Status: ParsableCommand {
      static let configuration = CommandConfiguration(
        abstract: "Print a sweep's progress: trials by status, the Pareto front and the best trial per objective.")

      @Argument(help: "Sweep folder, e.g. Reports/quick-sweep/<sweep-id>.")
      var directory: String

      func run() throws {
        do {
          print(SweepStatusText.summary(try SweepResults.read(URL(fileURLWithPath: directory))))
        } catch {
          FileHandle.standardError.write(Data("error: \(error) (is \(directory) a sweep folder?)\n".utf8))
          throw ExitCode(1)
        }
      }
    }
  }
}

extension Workbench.SweepCommand {
  /// `workbench sweep schema`.
  struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "schema", abstract: "Print the JSON Schema of sweep files (for editors).")

    func run() throws { print(SweepSchema.jsonSchema().pretty()) }
  }
}

/// The text `sweep` and `sweep status` print.
enum SweepStatusText {
  static func summary(_ r: SweepResults) -> String {
    let counts = Dictionary(grouping: r.trials, by: \.status).map { "\($0.value.count) \($0.key)" }.sorted()
    var lines = ["sweep \(r.sweep) \(r.sweepId): \(r.trials.count) trials, \(counts.joined(separator: ", "))"]
    for t in r.trials {
      let objectives = r.objectives.map { o in
        "\(o.metric) \(t.objectives[o.metric].map { String(format: "%.4f", $0) } ?? "—")"
      }
      let settings = t.settings.keys.sorted().map { "\($0)=\(t.settings[$0]?.canonical ?? "")" }
      var line = "  \(r.pareto.contains(t.id) ? "*" : " ") \(t.id) \(t.status)"
      if t.reused { line += " (re-used)" }
      if let s = t.failedStage { line += " at \(s)" }
      line += "  " + (settings + objectives).joined(separator: "  ")
      lines.append(line)
    }
    lines.append("Pareto front (*): \(r.pareto.isEmpty ? "none yet" : r.pareto.joined(separator: ", "))")
    for o in r.objectives {
      if let id = r.best[o.metric] { lines.append("best \(o.metric) (\(o.direction.rawValue)): \(id)") }
    }
    return lines.joined(separator: "\n")
  }
}
