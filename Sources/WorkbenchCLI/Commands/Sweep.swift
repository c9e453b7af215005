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
          compete for them. With --launcher slurm: at most this many array tasks at once (default: \
          as many as the cluster schedules).
          """)
      var jobs: Int?

      @Option(
        help: """
          Where trials run: `local` (this machine) or `slurm` (one job array submitted with sbatch; \
          each task runs `workbench run` of its trial on the shared cache, so the cache and reports \
          folders must be visible to every node).
          """)
      var launcher: LauncherKind = .local

      @OptionGroup(title: "Slurm (with --launcher slurm)") var slurm: SlurmOptions

      @Option(help: "Folder of run folders.")
      var reports = "Reports"

      func validate() throws {
        if let m = maxTrials, m < 1 { throw ValidationError("--max-trials must be at least 1, got \(m)") }
        if let j = jobs, j < 1 { throw ValidationError("--jobs must be at least 1, got \(j)") }
        if launcher != .slurm, let name = slurm.given.first {
          throw ValidationError("--\(name) applies to --launcher slurm only")
        }
        if let c = slurm.cpusPerTask, c < 1 { throw ValidationError("--cpus-per-task must be at least 1, got \(c)") }
      }

      func run() throws {
        let (spec, trials) = try Self.load(maxTrials: maxTrials) { try SweepLoader.load(path: file) }
        var options = Self.options(reports: reports)
        options.jobs = jobs ?? 1
        options.maxTrials = maxTrials
        if launcher == .slurm {
          guard let exe = options.executable else {
            throw ValidationError("cannot find this workbench executable to run in the Slurm tasks")
          }
          var r = slurm.resources
          r.maxConcurrent = jobs
          options.launcher = SlurmLauncher(executable: exe, resources: r, jobName: "wb-\(spec.name)")
        }
        try Self.execute(spec, trials: trials, options: options, dryRun: dryRun)
      }

      /// The sweep `make` builds and its trials (at most `maxTrials`); an invalid sweep or trial
      /// is printed and exits with code 2.
      static func load(maxTrials: Int? = nil, _ make: () throws -> SweepSpec) throws -> (SweepSpec, [SweepTrial]) {
        do {
          let spec = try make()
          return (spec, try SweepTrials.make(spec, maxTrials: maxTrials))
        } catch let e as SpecError {
          FileHandle.standardError.write(Data("error: \(e)\n".utf8))
          throw ExitCode(2)
        } catch let e as FileSystemError {
          FileHandle.standardError.write(Data("error: \(e)\n".utf8))
          throw ExitCode(2)
        }
      }

      /// Options of a local sweep writing to `reports` (one job, this executable for children).
      static func options(reports: String) -> SweepRunner.Options {
        var options = SweepRunner.Options()
        options.runner.reportsRoot = URL(fileURLWithPath: reports)
        options.runner.afterRun = ReportHook.render
        options.executable = executable()
        return options
      }

      /// Lists the trials (`dryRun`) or runs them and prints the summary; exits 1 when a trial
      /// failed and 130 when interrupted.
      static func execute(_ spec: SweepSpec, trials: [SweepTrial], options: SweepRunner.Options, dryRun: Bool) throws {
        let dir = try SweepRunner.directory(spec, reportsRoot: options.runner.reportsRoot)
        if dryRun {
          print("sweep \(spec.name) (\(SweepTrials.describe(spec, listed: trials.count))) → \(dir.path)")
          for (i, t) in trials.enumerated() {
            let plan = try Runner().plan(t.experiment, options: options.runner)
            let cached = plan.filter(\.cached).count
            let done = SweepRunner.record(t, in: dir, spec: spec, status: "to run").status == "succeeded"
            let infeasible = done ? nil : SweepRunner.infeasibility(t)
            let state =
              done
              ? "finished (re-used)"
              : infeasible.map { "infeasible, never trained: \($0)" }
                ?? "\(cached)/\(plan.count) stages cached"
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
        } catch let e as SlurmError {
          FileHandle.standardError.write(Data("error: \(e)\n".utf8))
          throw ExitCode(1)
        }
        print("sweep folder: \(dir.path)")
        print(SweepStatusText.summary(results))
        // infeasible trials are an answer of the sweep, not a failure
        // so are trials ASHA stopped below its top rung
        let answers: Set<String> = ["succeeded", "infeasible", "stopped"]
        if results.trials.contains(where: { !answers.contains($0.status) }) {
          throw ExitCode(1)
        }
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
    lines.append(SweepProgress(r).line)
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
    lines += SweepProgress.bestLines(r)
    return lines.joined(separator: "\n")
  }
}
