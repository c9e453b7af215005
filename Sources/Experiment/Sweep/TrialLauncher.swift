import Foundation
import Support

/// Where a sweep's trials run when they do not run in the sweep's own process: a local pool of
/// child processes (``TrialProcessPool``) or a Slurm job array (``SlurmLauncher``). Both run each
/// trial as `workbench run` of the base experiment with the trial's overrides, on one shared
/// stage cache, writing the trial's run folders under `trialsDirectory/<trial-id>/`; the sweep
/// then reads each trial's manifest and metrics the same way, whichever launcher ran it.
public protocol TrialLauncher {
  /// How a started trial is described in the sweep's progress lines (`child process`).
  var runsAs: String { get }

  /// Runs every trial and returns when each has finished, or once the sweep is cancelled
  /// (``Cancellation/isRequested``) and what the launcher started has been stopped.
  ///
  /// Calls `started` when a trial begins and `finished` exactly once for every trial that
  /// began or was due, with an error when the trial ended without a usable result from
  /// `workbench run` (it could not start, exited with a failure status, was cancelled). Either
  /// may be called from any thread.
  /// - Throws: an error a user can act on when the launcher cannot start at all (e.g. `sbatch`
  ///   is missing or refuses the job); no trial has been run then.
  func run(
    _ trials: [SweepTrial], trialsDirectory: URL, cache: Cache, started: @escaping (SweepTrial) -> Void,
    finished: @escaping (SweepTrial, Error?) -> Void) throws
}

extension SweepTrial {
  /// The `workbench` arguments that run this trial: the base experiment, the trial's overrides,
  /// its name (the trial id), and the folder of run folders.
  public func runArguments(reports: URL) -> [String] {
    ["run", experiment.sourceFile] + (overrides + ["name=\(id)"]).flatMap { ["--set", $0] } + [
      "--reports", reports.path,
    ]
  }

  /// Whether `workbench run` exiting with `status` produced a result: 0 success, 3 a KPI gate
  /// failed (the run finished; the gate is in its manifest).
  static func runSucceeded(_ status: Int32) -> Bool { status == 0 || status == 3 }
}
