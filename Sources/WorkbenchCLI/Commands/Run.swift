import ArgumentParser
import Experiment
import Foundation
import K210
import Support

extension Workbench {
  /// `workbench run FILE`: one experiment, end to end, through the stage cache.
  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run an experiment: data → model → train → evaluate → report, re-using cached stages.",
      discussion: """
        Results go to Reports/<name>/<run-id>/ (Reports/<name>/latest points at the newest run): \
        report.html, report.md, metrics.json, manifest.json and each stage's artifacts. \
        Exit codes: 0 success, 1 a stage failed, 2 invalid experiment, 3 a KPI gate failed, \
        130 interrupted (run again to resume).
        """)

    @Argument(help: "Experiment file (JSON), e.g. experiments/yolo.json.")
    var file: String

    @OptionGroup var overrides: OverrideOptions

    @Flag(help: "List the stages, their cache keys and whether each is cached, then stop.")
    var dryRun = false

    @Option(
      name: .customLong("force"),
      help: """
        Re-run this stage and every stage after it that reads its artifacts (repeatable); \
        `evaluate` means every evaluate-<variant> stage.
        """)
    var force: [String] = []

    @Option(help: "Folder of run folders.")
    var reports = "Reports"

    @Option(
      parsing: .upToNextOption,
      help: ArgumentHelp(
        """
        Run a grid sweep instead of one run (Hydra-style): every combination of the listed values, \
        e.g. --multirun model.width=0.25,0.5 train.optimizer.lr=1e-3,3e-3, with the --set overrides \
        applied to every trial. Results go to Reports/<name>-multirun/<sweep-id>/ as with `workbench sweep`.
        """, valueName: "path=v1,v2"))
    var multirun: [String] = []

    func run() throws {
      if !multirun.isEmpty { return try runMultirun() }
      let experiment = try loadExperiment(file, overrides: overrides.set)
      var options = Runner.Options()
      options.reportsRoot = URL(fileURLWithPath: reports)
      options.afterRun = ReportHook.render
      let runner = Runner()
      let names = try runner.stages(for: experiment).stages.map(\.name)
      for f in force where !names.contains(f) && f != "evaluate" {
        throw ValidationError(
          "--force \(f): no such stage; this experiment's stages are \(names.joined(separator: ", "))")
      }
      options.force = Set(force.flatMap { f in f == "evaluate" ? names.filter { $0.hasPrefix("evaluate-") } : [f] })
      if dryRun {
        print("experiment \(experiment.settings.name) (cache \(options.cache.root.path))")
        if let k = experiment.settings.simulate.k210, let graph = try K210CheckStage.dryRunGraph(experiment) {
          let k210 = try K210CheckStage.check(graph, k)
          print(k210.renderText(clockMHz: k.clockMhz), terminator: "")
          if !k210.fits { throw ExitCode(1) }
          let frame = K210FrameWork(k210, graph: graph, kpuMHz: k.clockMhz, cpuMHz: k.cpuMhz)
          print(
            String(
              format: "model call (untrained model): %.2f ms (KPU %.2f ms, CPU %.2f ms); frame pipeline at %.0f fps:",
              frame.modelMs, frame.kpuMs, frame.cpuMs, k.cameraFps))
          let pipeline = K210Pipeline(work: .init(frame, cpuMHz: k.cpuMhz), cameraFPS: k.cameraFps)
          for r in pipeline.results() { print("  " + r.line + (r.scenario == k.pipeline ? "  ← k210.fps" : "")) }
        }
        let plan = try runner.plan(experiment, options: options)
        let width = plan.map(\.name.count).max() ?? 14
        for (i, p) in plan.enumerated() {
          let state = p.key == nil ? "depends on uncomputed stages" : (p.cached ? "cached" : "to run")
          let name = p.name.padding(toLength: width, withPad: " ", startingAt: 0)
          let key = (p.key.map { String($0.prefix(16)) } ?? "—").padding(toLength: 17, withPad: " ", startingAt: 0)
          print("  [\(i + 1)] \(name) \(key) \(state)")
        }
        return
      }
      Cancellation.install()
      let result: Runner.Result
      do {
        try FileSystem.createFolder(options.reportsRoot, "the reports folder")
        result = try runner.run(experiment, options: options)
      } catch let failure as RunFailure {
        FileHandle.standardError.write(Data("error: \(failure)\n".utf8))
        if case StageError.interrupted = failure.underlying { throw ExitCode(130) }
        throw ExitCode(1)
      } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
      }
      print("run folder: \(result.runDirectory.path)")
      let report = result.runDirectory.appendingPathComponent("report.html")
      if FileManager.default.fileExists(atPath: report.path) { print("report: \(report.path)") }
      for variant in result.metrics?.variants ?? [] {
        let m = variant.values
        print(
          "KPIs (\(variant.name)): "
            + m.keys.sorted().map { "\($0) \(String(format: "%.4f", m[$0] ?? .nan))" }.joined(separator: ", "))
      }
      for g in result.manifest.gates {
        let v = g.value.map { String(format: "%.4f", $0) } ?? "missing"
        if g.passed {
          print("gate passed: \(g.metric) \(g.condition) (value \(v))")
        } else {
          let by =
            g.value.flatMap { v in
              Gate.parse(metric: g.metric, condition: g.condition).map {
                String(format: " — off by %.4f", abs(v - $0.threshold))
              }
            } ?? ""
          print("gate FAILED: \(g.metric) \(g.condition) (value \(v))\(by)")
        }
      }
      if !result.failedGates.isEmpty { throw ExitCode(3) }
    }
  }
}
