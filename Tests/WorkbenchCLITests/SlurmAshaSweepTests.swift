import Foundation
import TestSupport
import XCTest

/// `workbench sweep --launcher slurm` of an ASHA sweep on a real single-node cluster (see
/// ``SlurmCluster``): every rung job is its own one-task array, submitted when a worker frees
/// up; the promoted trial continues its lower rung through the shared cache, and the sweep's
/// rungs equal the same sweep run in-process on an empty cache.
final class SlurmAshaSweepTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    try SlurmCluster.require()
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-slurmasha-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { if let scratch { try? FileManager.default.removeItem(at: scratch) } }

  /// Trial id → its rungs (epochs and objective) and status, from the `sweep folder:` line.
  func rungs(_ out: String) throws -> (folder: String, rungs: [String: [String]], status: [String: String]) {
    let folder = try XCTUnwrap(
      out.split(separator: "\n").first { $0.hasPrefix("sweep folder: ") }?.dropFirst("sweep folder: ".count), out)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/trials.json")))
    let trials = try XCTUnwrap((json as? [String: Any])?["trials"] as? [[String: Any]])
    var rungs: [String: [String]] = [:], status: [String: String] = [:]
    for t in trials {
      let id = try XCTUnwrap(t["id"] as? String)
      rungs[id] = ((t["rungs"] as? [[String: Any]]) ?? []).map { r in
        "\(r["epochs"] ?? "") \((r["objectives"] as? [String: Any])?["float.f1"] ?? "")"
      }
      status[id] = t["status"] as? String
    }
    return (String(folder), rungs, status)
  }

  func testAshaRungsThroughSlurmMatchTheInProcessSweep() throws {
    let base = WorkbenchProcess.root.appendingPathComponent("Experiments/quick.json").path
    let text = """
      {"version": 1, "name": "slurm-asha", "base": "\(base)", "set": ["data.train=16", "data.val=8"],
       "space": {"train.optimizer.lr": {"log_uniform": [0.001, 0.02]}}, "search": "asha", "trials": 3, "seed": 1,
       "asha": {"min_epochs": 1, "max_epochs": 3}, "objectives": {"float.f1": "max"}}
      """
    let file = scratch.appendingPathComponent("slurm-asha.json").path
    try text.write(toFile: file, atomically: true, encoding: .utf8)
    // one worker: the same job order as in-process, so the same promotion
    let onSlurm = try WorkbenchProcess(cache: scratch.appendingPathComponent("cache-slurm")).run([
      "sweep", file, "--launcher", "slurm", "--cpus-per-task", "1", "--time", "10",
      "--reports", scratch.appendingPathComponent("Slurm").path,
    ])
    XCTAssertEqual(onSlurm.status, 0, onSlurm.err + onSlurm.out)
    let slurm = try rungs(onSlurm.out)
    XCTAssertEqual(slurm.status.values.sorted(), ["stopped", "stopped", "succeeded"])
    // four rung jobs, four one-task arrays
    let submissions = try FileManager.default.contentsOfDirectory(atPath: "\(slurm.folder)/slurm")
    XCTAssertEqual(submissions.count, 4, "\(submissions)")
    for s in submissions {
      let files = try FileManager.default.contentsOfDirectory(atPath: "\(slurm.folder)/slurm/\(s)")
      XCTAssertEqual(Set(files), ["array.sh", "job-id", "task-0.out", "task-0.exit"])
    }

    let local = try WorkbenchProcess(cache: scratch.appendingPathComponent("cache-local")).run([
      "sweep", file, "--reports", scratch.appendingPathComponent("Local").path,
    ])
    XCTAssertEqual(local.status, 0, local.err + local.out)
    let reference = try rungs(local.out)
    XCTAssertEqual(slurm.rungs, reference.rungs)
    XCTAssertEqual(slurm.status, reference.status)
  }
}
