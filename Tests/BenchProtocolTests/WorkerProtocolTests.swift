import BenchProtocol
import XCTest

/// The worker protocol: job flags both workers read, the JSON lines they write, and a real
/// child process run through WorkerRunner (a shell script standing in for a worker).
final class WorkerProtocolTests: XCTestCase {
  func testMessagesParseAndAResultGivesImagesPerSecond() throws {
    let ready = try WorkerMessage.parse(#"{"event": "ready", "parameters": 8675, "version": "2.13.0+cpu"}"#)
    XCTAssertEqual(ready, WorkerMessage(event: "ready", parameters: 8675, version: "2.13.0+cpu"))
    XCTAssertEqual(try WorkerMessage.parse(#"{"event":"start","kind":"infer"}"#).kind, "infer")
    let result = try WorkerMessage.parse(#"{"event":"result","kind":"train","images":96,"seconds":0.25,"steps":3}"#)
    XCTAssertEqual(result.imagesPerSecond, 384)
    XCTAssertEqual(
      try WorkerMessage.parse(#"{"event":"error","reason":"import torch failed"}"#).reason,
      "import torch failed")
  }

  func testLinesThatAreNotMeasurementsAreRejected() {
    XCTAssertThrowsError(try WorkerMessage.parse("parameters 123 threads 2")) { error in
      XCTAssertTrue("\(error)".contains("is not a worker message"), "\(error)")
    }
    XCTAssertThrowsError(try WorkerMessage.parse(#"{"event":"result","kind":"train","images":96}"#)) { error in
      XCTAssertTrue("\(error)".contains("lacks kind, images or seconds"), "\(error)")
    }
    XCTAssertThrowsError(try WorkerMessage.parse(#"{"event":"result","kind":"train","images":96,"seconds":0}"#))
    XCTAssertThrowsError(try WorkerMessage.parse(#"{"event":"progress"}"#))
  }

  func testJobFlagsRoundTripAndBadFlagsAreNamed() throws {
    let job = WorkerJob(
      model: "/tmp/g.json", batch: 16, kinds: ["infer"], warmup: 2, minSteps: 4, minSeconds: 0.5, threads: 1)
    XCTAssertEqual(
      job.arguments,
      [
        "--model", "/tmp/g.json", "--batch", "16", "--kinds", "infer", "--warmup", "2", "--min-steps", "4",
        "--min-seconds", "0.5", "--threads", "1",
      ])
    XCTAssertEqual(try WorkerJob(arguments: job.arguments), job)
    XCTAssertThrowsError(try WorkerJob(arguments: Array(job.arguments.dropFirst(2)))) { error in
      XCTAssertEqual("\(error)", "the worker needs --model")
    }
    var bad = job.arguments
    bad[5] = "train,fly"
    XCTAssertThrowsError(try WorkerJob(arguments: bad))
    XCTAssertThrowsError(try WorkerJob(arguments: job.arguments + ["--speed", "2"])) { error in
      XCTAssertTrue("\(error)".hasPrefix("unknown worker flag '--speed'"), "\(error)")
    }
  }

  func testOptionsReadVariablesAndFlagsWin() throws {
    let env = [
      "WORKBENCH_BENCH_STRICT": "1", "WORKBENCH_BENCH_ROUNDS": "3", "WORKBENCH_BENCH_WIDTHS": "0.5,1",
      "WORKBENCH_BENCH_ONLY": "growth,memory",
    ]
    let o = try BenchOptions(
      arguments: ["--rounds", "7", "--max-other-load", "0.5", "--batches", "8,16"], environment: env)
    XCTAssertTrue(o.strict)
    XCTAssertEqual(o.rounds, 7)
    XCTAssertEqual(o.threads, 2)
    XCTAssertEqual(o.policy.maxOtherCores, 0.5)
    XCTAssertEqual(o.widths, [0.5, 1])
    XCTAssertEqual(o.resolutions, [64, 96, 128, 224])
    XCTAssertEqual(o.batches, [8, 16])
    XCTAssertTrue(o.runs("memory"))
    XCTAssertFalse(o.runs("reference"))
    let defaults = try BenchOptions(arguments: [], environment: ["WORKBENCH_BENCH_STRICT": ""])
    XCTAssertFalse(defaults.strict)
    XCTAssertTrue(defaults.runs("reference"))
    XCTAssertTrue(try BenchOptions(arguments: ["--strict"], environment: [:]).strict)
    XCTAssertThrowsError(try BenchOptions(arguments: ["--fast"], environment: [:]))
    XCTAssertThrowsError(try BenchOptions(arguments: ["--rounds", "2.5"], environment: [:]))
    XCTAssertThrowsError(try BenchOptions(arguments: ["--widths", "0.5,x"], environment: [:]))
  }

  func testWorkersAreConfinedToTheirThreadCountOfCores() {
    XCTAssertNil(WorkerRunner.cpuList(threads: 2, cores: 2))
    XCTAssertEqual(WorkerRunner.cpuList(threads: 1, cores: 2), "0")
    XCTAssertEqual(WorkerRunner.cpuList(threads: 2, cores: 8), "0-1")
  }

  func shellWorker(_ script: String) -> WorkerCommand {
    WorkerCommand(name: "Script", command: ["/bin/sh", "-c", script, "worker"])
  }

  func testRunnerCollectsAChildsMeasurementsAndMemory() throws {
    // Each event is followed by a pause, so the child is still alive (its /proc entries still
    // there) when a driver slowed down by a loaded machine reads them.
    let script = """
      echo '{"event":"ready","parameters":7,"version":"sh"}'
      sleep 0.5
      echo '{"event":"start","kind":"train"}'
      sleep 0.3
      echo '{"event":"result","kind":"train","images":64,"seconds":0.5,"steps":2}'
      sleep 0.5
      """
    let report = try WorkerRunner.run(shellWorker(script), job: WorkerJob(model: "m", batch: 32))
    XCTAssertEqual(report.parameters, 7)
    XCTAssertEqual(report.version, "sh")
    XCTAssertEqual(report.measurements.map(\.kind), ["train"])
    XCTAssertEqual(report.measurement("train")?.imagesPerSecond, 128)
    // the sleeping child used (almost) no CPU in its window
    XCTAssertLessThan(report.measurement("train")?.load.childCores ?? 1, 0.2)
    XCTAssertNotNil(report.baselineMiB)
    XCTAssertNotNil(report.peakMiB)
  }

  func testRunnerReportsAWorkersErrorOrItsExitStatus() {
    XCTAssertThrowsError(
      try WorkerRunner.run(
        shellWorker(#"echo '{"event":"error","reason":"import torch failed"}'; exit 2"#),
        job: WorkerJob(model: "m", batch: 1))
    ) { error in
      XCTAssertEqual("\(error)", "the Script worker failed: import torch failed")
    }
    XCTAssertThrowsError(
      try WorkerRunner.run(shellWorker("echo 'out of memory' >&2; exit 1"), job: WorkerJob(model: "m", batch: 1))
    ) { error in
      XCTAssertEqual("\(error)", "the Script worker failed: exit status 1: out of memory")
    }
  }
}
