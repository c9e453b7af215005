import Foundation
import Support
import TestSupport
import Training
import XCTest

@testable import Experiment

/// ``SlurmLauncher`` on a real single-node cluster (see ``SlurmCluster``): a task whose
/// `workbench run` fails is recorded with its status while the other tasks finish, and a
/// cancelled sweep `scancel`s its array. The executables here are small shell scripts standing in
/// for `workbench` (the CLI test runs real trials); sbatch, the scheduler and scancel are real.
final class SlurmLauncherTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    try SlurmCluster.require()
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-slurm-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    Cancellation.set(false)
  }

  override func tearDownWithError() throws {
    Cancellation.set(false)
    if let scratch { try? FileManager.default.removeItem(at: scratch) }
  }

  /// Two trials of a tiny quick.json sweep (no trial is trained here).
  func trials() throws -> (SweepSpec, [SweepTrial]) {
    let text = """
      {"version": 1, "name": "slurm-unit", "base": "\(SweepSpaceTests.quick)",
       "set": ["train.epochs=1", "data.train=16", "data.val=8"],
       "space": {"model.width": [0.25, 0.5]}, "objectives": {"float.map50": "max"}}
      """
    let file = scratch.appendingPathComponent("sweep.json")
    try text.write(to: file, atomically: true, encoding: .utf8)
    let spec = try SweepLoader.load(path: file.path)
    return (spec, try SweepTrials.make(spec))
  }

  /// An executable script: `body` runs with the trial's `workbench run …` arguments.
  func executable(_ body: String) throws -> URL {
    let url = scratch.appendingPathComponent("fake-workbench-\(UInt32.random(in: 0...UInt32.max))")
    try "#!/bin/sh\n\(body)\n".write(to: url, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
    return url
  }

  func options(_ launcher: SlurmLauncher) -> SweepRunner.Options {
    var o = SweepRunner.Options()
    o.runner.cache = Cache(root: scratch.appendingPathComponent("cache"))
    o.runner.reportsRoot = scratch.appendingPathComponent("Reports")
    o.runner.progress = ProgressReporter(isTerminal: false, write: { _ in })
    o.launcher = launcher
    return o
  }

  /// Task 0 exits 1, task 1 exits 0 without a run folder: each is recorded on its own, with the
  /// Slurm task and the status, and the script saw the trial's arguments and the shared cache.
  func testFailedTaskIsRecordedAndTheOtherFinishes() throws {
    let (spec, trials) = try trials()
    let exe = try executable(
      """
      echo "cache=$WORKBENCH_CACHE args=$*"
      case "$*" in *model.width=0.25*) exit 1 ;; *) exit 0 ;; esac
      """)
    var launcher = SlurmLauncher(executable: exe, jobName: "wb-test-fail")
    launcher.pollInterval = 0.3
    let (dir, results) = try SweepRunner().run(spec, trials: trials, options: options(launcher))
    let job = try String(contentsOf: submission(dir).appendingPathComponent("job-id"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    XCTAssertEqual(results.trials.map(\.status), ["failed", "failed"])
    XCTAssertEqual(
      results.trials[0].error,
      "`workbench run` in Slurm task \(job)_0 exited with status 1; see \(dir.path)/trials/\(trials[0].id)/output.log")
    // exit 0 but no run folder: the sweep's own check says so
    XCTAssertEqual(results.trials[1].error, "the trial wrote no run folder")
    let log = try String(
      contentsOf: dir.appendingPathComponent("trials/\(trials[1].id)/output.log"), encoding: .utf8)
    XCTAssertEqual(
      log,
      "cache=\(scratch.appendingPathComponent("cache").path) args="
        + trials[1].runArguments(reports: dir.appendingPathComponent("trials")).joined(separator: " ") + "\n")
  }

  /// Cancelling while both tasks run: the launcher `scancel`s the array, the job leaves the
  /// queue long before the tasks' 120 s, and both trials end interrupted.
  func testCancellationCancelsTheJobArray() throws {
    let (spec, trials) = try trials()
    let exe = try executable("sleep 120")
    var launcher = SlurmLauncher(executable: exe, jobName: "wb-test-cancel")
    launcher.pollInterval = 0.3
    let dir = try SweepRunner.directory(spec, reportsRoot: options(launcher).runner.reportsRoot)
    let trialsDir = dir.appendingPathComponent("trials")
    let start = Date()
    var errors: [String: String] = [:]
    var started = 0
    try launcher.run(
      trials, trialsDirectory: trialsDir, cache: Cache(root: scratch.appendingPathComponent("cache")),
      started: { _ in
        started += 1
        if started == trials.count { Cancellation.set(true) }
      },
      finished: { t, e in errors[t.id] = e.map { "\($0)" } ?? "none" })
    XCTAssertLessThan(Date().timeIntervalSince(start), 60)
    XCTAssertEqual(started, 2)
    XCTAssertEqual(errors.count, 2)
    XCTAssertTrue(errors.values.allSatisfy { $0 == "\(StageError.interrupted)" }, "\(errors)")
    let job = try String(contentsOf: submission(dir).appendingPathComponent("job-id"), encoding: .utf8)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    let queue = try SlurmCluster.shell(["squeue", "-h", "-j", job])
    XCTAssertEqual(queue.out, "", "job \(job) is still queued")
  }

  /// The one submission folder under the sweep folder's `slurm/`.
  func submission(_ dir: URL) throws -> URL {
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("slurm").path)
    XCTAssertEqual(names.count, 1, "\(names)")
    return dir.appendingPathComponent("slurm/\(try XCTUnwrap(names.first))")
  }
}
