import Foundation
import Support

/// Runs trials as `workbench run` child processes, at most `jobs` at once, on one shared cache.
/// Each child writes its run folder under `trialsDirectory/<trial-id>/` and its output to
/// `trialsDirectory/<trial-id>/output.log`; the stage cache's per-key locks keep two children
/// from computing the same stage at once.
public struct TrialProcessPool: TrialLauncher {
  public var executable: URL
  public var jobs: Int

  public init(executable: URL, jobs: Int) {
    self.executable = executable
    self.jobs = jobs
  }

  public var runsAs: String { "child process" }

  /// The child's arguments: the base experiment, the trial's overrides and its name.
  static func arguments(_ t: SweepTrial, reports: URL) -> [String] { t.runArguments(reports: reports) }

  /// Runs every trial, calling `started` and `finished` (with an error when the child could not
  /// start or failed) from worker threads. Stops starting trials once the sweep is cancelled
  /// (the children get the terminal's SIGINT themselves).
  public func run(
    _ trials: [SweepTrial], trialsDirectory: URL, cache: Cache, started: @escaping (SweepTrial) -> Void,
    finished: @escaping (SweepTrial, Error?) -> Void
  ) {
    let slots = DispatchSemaphore(value: max(1, jobs))
    let group = DispatchGroup()
    var env = ProcessInfo.processInfo.environment
    env["WORKBENCH_CACHE"] = cache.root.path
    for t in trials {
      slots.wait()
      if Cancellation.isRequested {
        slots.signal()
        break
      }
      group.enter()
      let folder = trialsDirectory.appendingPathComponent(t.id)
      do {
        try FileSystem.createFolder(folder, "the trial's folder")
        let log = folder.appendingPathComponent("output.log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        let p = Process()
        p.executableURL = executable
        p.arguments = Self.arguments(t, reports: trialsDirectory)
        p.environment = env
        p.standardOutput = handle
        p.standardError = handle
        p.standardInput = FileHandle.nullDevice
        p.terminationHandler = { proc in
          try? handle.close()
          let error: Error? =
            SweepTrial.runSucceeded(proc.terminationStatus)
            ? nil
            : StageError.failed("`workbench run` exited with status \(proc.terminationStatus); see \(log.path)")
          finished(t, error)
          slots.signal()
          group.leave()
        }
        started(t)
        try p.run()
      } catch {
        finished(t, error)
        slots.signal()
        group.leave()
      }
    }
    group.wait()
  }
}
