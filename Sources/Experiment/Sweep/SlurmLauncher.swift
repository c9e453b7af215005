import Foundation
import Support

/// Runs a sweep's trials as one Slurm job array: `sbatch` submits a generated script
/// (``SlurmJobScript``) whose task `i` runs trial `i`'s `workbench run` on the shared stage
/// cache; the launcher then follows the array through `squeue` and the tasks' exit files until
/// every task has finished, and cancels it with `scancel` when the sweep is interrupted.
///
/// The cache and the sweep folder must be on a file system every node sees (one node: any).
public struct SlurmLauncher: TrialLauncher {
  /// What each array task asks Slurm for; nil leaves the cluster's default.
  public struct Resources: Sendable {
    public var partition: String? = nil
    /// Time limit in any `sbatch --time` form (`10`, `1:00:00`).
    public var time: String? = nil
    public var cpusPerTask: Int? = nil
    /// Memory per node in any `sbatch --mem` form (`4G`).
    public var memory: String? = nil
    /// At most this many tasks of the array run at once (`--array=0-N%k`).
    public var maxConcurrent: Int? = nil
    public init() {}
  }

  public var executable: URL
  public var resources: Resources
  public var jobName: String
  /// Seconds between looks at the queue.
  public var pollInterval: TimeInterval = 1
  public var workingDirectory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)

  public init(executable: URL, resources: Resources = .init(), jobName: String = "workbench-sweep") {
    self.executable = executable
    self.resources = resources
    self.jobName = jobName
  }

  public var runsAs: String { "Slurm array task" }

  public func run(
    _ trials: [SweepTrial], trialsDirectory: URL, cache: Cache, started: @escaping (SweepTrial) -> Void,
    finished: @escaping (SweepTrial, Error?) -> Void
  ) throws {
    guard !trials.isEmpty, !Cancellation.isRequested else { return }
    let stamp = Int(Date().timeIntervalSince1970 * 1000)
    let submission = trialsDirectory.deletingLastPathComponent().appendingPathComponent(
      "slurm/\(stamp)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileSystem.createFolder(submission, "the sweep's Slurm folder")
    let script = SlurmJobScript(
      trials: trials, executable: executable, trialsDirectory: trialsDirectory, cache: cache.root,
      submission: submission, workingDirectory: workingDirectory)
    try AtomicWrite.write(script.text, to: script.scriptFile)
    let submit = try SlurmCommand.run("sbatch", script.sbatchArguments(resources, jobName: jobName))
    let job = submit.out.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
    guard submit.status == 0, !job.isEmpty, job.allSatisfy(\.isNumber) else {
      throw SlurmError.submitFailed(submit.err.isEmpty ? "exit status \(submit.status), no message" : submit.err)
    }
    try AtomicWrite.write(job + "\n", to: submission.appendingPathComponent("job-id"))
    try follow(job: job, trials: trials, script: script, started: started, finished: finished)
  }

  /// Polls until every task has an outcome; on cancellation, `scancel`s the job first.
  func follow(
    job: String, trials: [SweepTrial], script: SlurmJobScript, started: (SweepTrial) -> Void,
    finished: (SweepTrial, Error?) -> Void
  ) throws {
    var begun = Set<Int>(), done = Set<Int>()
    var cancelledAt: Date? = nil
    var goneSince: Date? = nil
    // a task that wrote its exit file between two looks did start; one that left the queue
    // without it may never have
    func finish(_ i: Int, _ error: Error?, ran: Bool = true) {
      if ran && begun.insert(i).inserted { started(trials[i]) }
      done.insert(i)
      finished(trials[i], error)
    }
    while done.count < trials.count {
      if Cancellation.isRequested && cancelledAt == nil {
        _ = try? SlurmCommand.run("scancel", [job])
        cancelledAt = Date()
      }
      for i in trials.indices where !done.contains(i) {
        guard let text = try? String(contentsOf: script.exitFile(i), encoding: .utf8),
          let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { continue }
        let log = script.trialsDirectory.appendingPathComponent("\(trials[i].id)/output.log").path
        // a task scancel stopped exits with SIGTERM's 143 (or 130): interrupted, not failed
        let stopped = cancelledAt != nil && (status == 143 || status == 130)
        finish(
          i,
          SweepTrial.runSucceeded(status)
            ? nil
            : stopped
              ? StageError.interrupted
              : StageError.failed("`workbench run` in Slurm task \(job)_\(i) exited with status \(status); see \(log)"))
      }
      let queue = SlurmQueue.tasks(job: job)
      for (i, state) in queue.states where i < trials.count && state == "R" && begun.insert(i).inserted {
        started(trials[i])
      }
      if queue.gone {
        // the exit file is written before the task ends: one more look, then the rest ended without one
        if let since = goneSince, Date().timeIntervalSince(since) >= pollInterval {
          for i in trials.indices where !done.contains(i) {
            let error =
              cancelledAt != nil ? StageError.interrupted : SlurmQueue.failure(job: job, task: i, script: script)
            finish(i, error, ran: false)
          }
        } else if goneSince == nil {
          goneSince = Date()
        }
      } else if let at = cancelledAt, Date().timeIntervalSince(at) > 60 {
        for i in trials.indices where !done.contains(i) { finish(i, StageError.interrupted, ran: false) }
      }
      if done.count < trials.count { Thread.sleep(forTimeInterval: pollInterval) }
    }
  }
}
