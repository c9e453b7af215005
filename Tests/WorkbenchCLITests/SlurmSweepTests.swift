import Foundation
import TestSupport
import XCTest

/// `workbench sweep --launcher slurm` on a real single-node cluster (see ``SlurmCluster``): two
/// trials of a tiny quick.json sweep run as one job array, and their results equal the same
/// sweep run by the local pool on a separate, empty cache (same trial ids, same metrics).
final class SlurmSweepTests: XCTestCase {
  var scratch: URL!

  override func setUpWithError() throws {
    try SlurmCluster.require()
    scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
      "wb-slurmcli-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  }

  override func tearDownWithError() throws { if let scratch { try? FileManager.default.removeItem(at: scratch) } }

  /// A sweep file over quick.json's widths (one epoch, few images), as the other sweep tests use.
  func tinySweep() throws -> String {
    let base = WorkbenchProcess.root.appendingPathComponent("Experiments/quick.json").path
    let text = """
      {"version": 1, "name": "slurm-tiny", "base": "\(base)",
       "set": ["train.epochs=1", "data.train=16", "data.val=8"],
       "space": {"model.width": [0.25, 0.5]}, "objectives": {"float.map50": "max", "float.map50_95": "max"}}
      """
    let file = scratch.appendingPathComponent("slurm-tiny.json")
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
  }

  /// Trial id → the trial's metrics.json (as parsed JSON) and status, from a sweep folder.
  func results(_ out: String) throws -> (folder: String, metrics: [String: NSDictionary], status: [String]) {
    let folder = try XCTUnwrap(
      out.split(separator: "\n").first { $0.hasPrefix("sweep folder: ") }?.dropFirst("sweep folder: ".count), out)
    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(folder)/trials.json")))
    let trials = try XCTUnwrap((json as? [String: Any])?["trials"] as? [[String: Any]])
    var metrics: [String: NSDictionary] = [:]
    for t in trials {
      let run = try XCTUnwrap(t["runFolder"] as? String, "\(t)")
      let data = try Data(contentsOf: URL(fileURLWithPath: "\(folder)/\(run)/metrics.json"))
      metrics[try XCTUnwrap(t["id"] as? String)] = try XCTUnwrap(
        JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }
    return (String(folder), metrics, trials.compactMap { $0["status"] as? String })
  }

  func testTwoTrialsThroughSlurmMatchTheLocalPool() throws {
    let file = try tinySweep()
    let onSlurm = try WorkbenchProcess(cache: scratch.appendingPathComponent("cache-slurm")).run([
      "sweep", file, "--launcher", "slurm", "--cpus-per-task", "1", "--time", "10",
      "--reports", scratch.appendingPathComponent("Slurm").path,
    ])
    XCTAssertEqual(onSlurm.status, 0, onSlurm.err + onSlurm.out)
    XCTAssertTrue(onSlurm.out.contains("2 trials, 2 succeeded"), onSlurm.out)
    XCTAssertEqual(onSlurm.out.components(separatedBy: "(Slurm array task)").count - 1, 2, onSlurm.out)
    let slurm = try results(onSlurm.out)
    XCTAssertEqual(slurm.status, ["succeeded", "succeeded"])
    // the array was really submitted: its job id and Slurm's own per-task output files
    let submissions = try FileManager.default.contentsOfDirectory(atPath: "\(slurm.folder)/slurm")
    XCTAssertEqual(submissions.count, 1)
    let files = try FileManager.default.contentsOfDirectory(atPath: "\(slurm.folder)/slurm/\(submissions[0])")
    XCTAssertEqual(
      Set(files), ["array.sh", "job-id", "task-0.out", "task-1.out", "task-0.exit", "task-1.exit"])

    let local = try WorkbenchProcess(cache: scratch.appendingPathComponent("cache-local")).run([
      "sweep", file, "--reports", scratch.appendingPathComponent("Local").path,
    ])
    XCTAssertEqual(local.status, 0, local.err + local.out)
    let reference = try results(local.out)
    XCTAssertEqual(Set(slurm.metrics.keys), Set(reference.metrics.keys))
    XCTAssertEqual(slurm.metrics.count, 2)
    for (id, m) in reference.metrics { XCTAssertEqual(slurm.metrics[id], m, "trial \(id)") }
  }

  func testSlurmOptionsNeedTheSlurmLauncher() throws {
    let r = try WorkbenchProcess(cache: scratch.appendingPathComponent("cache")).run([
      "sweep", try tinySweep(), "--partition", "debug", "--dry-run",
    ])
    XCTAssertNotEqual(r.status, 0)
    XCTAssertTrue(r.err.contains("--partition applies to --launcher slurm only"), r.err)
  }
}
