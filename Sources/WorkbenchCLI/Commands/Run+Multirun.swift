import ArgumentParser
import Experiment
import Foundation

extension Workbench.Run {
  /// `workbench run FILE --multirun PATH=V1,V2 …`: the grid sweep over those values, run by the
  /// sweep machinery (trials in this process, one after another; `workbench sweep` offers
  /// `--jobs` and `--launcher slurm`).
  func runMultirun() throws {
    if !force.isEmpty { throw ValidationError("--force does not apply to --multirun (each trial re-uses its cache)") }
    let (spec, trials) = try Workbench.SweepCommand.Start.load {
      try Multirun.sweep(base: file, overrides: overrides.set, multirun: multirun)
    }
    try Workbench.SweepCommand.Start.execute(
      spec, trials: trials, options: Workbench.SweepCommand.Start.options(reports: reports), dryRun: dryRun)
  }
}
