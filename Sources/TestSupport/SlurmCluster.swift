import Foundation
import Support
import XCTest

/// The single-node Slurm cluster the Slurm tests run on (scripts/slurm-single-node.sh). Tests
/// use a cluster that is already up; with `WORKBENCH_SLURM=1` they start one (installing the
/// Debian packages if missing) and stop it when the process exits. Otherwise they skip, and say why.
/// One copy for every test target (the Experiment and CLI Slurm tests).
public enum SlurmCluster {
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  public static let script = root.appendingPathComponent("scripts/slurm-single-node.sh")

  /// `sinfo` reports the node idle (or busy with jobs): sbatch will run things.
  public static func isUp() -> Bool {
    // sinfo retries an absent controller for about 10 s: ask for at most 5
    guard let r = try? shell(["timeout", "5", "sinfo", "-h", "-N", "-o", "%T"]), r.status == 0 else { return false }
    return ["idle", "mixed", "allocated"].contains(r.out.split(separator: "\n").first.map(String.init) ?? "")
  }

  nonisolated(unsafe) private static var outcome: Result<Void, XCTSkip>? = nil

  /// Returns when a cluster is up; throws `XCTSkip` with the reason (also printed) otherwise.
  public static func require() throws {
    if outcome == nil { outcome = start() }
    if case .failure(let skip) = outcome {
      print("SlurmTests skipped: \(skip.message ?? "")")
      throw skip
    }
  }

  private static func start() -> Result<Void, XCTSkip> {
    if isUp() { return .success(()) }
    guard ProcessInfo.processInfo.environment["WORKBENCH_SLURM"] == "1" else {
      let why =
        (try? shell(["which", "sbatch"]))?.status == 0
        ? "no Slurm node is idle (sinfo)" : "Slurm is not installed (no sbatch on PATH)"
      return .failure(
        XCTSkip("\(why); set WORKBENCH_SLURM=1 to install and start a single-node one (scripts/slurm-single-node.sh)"))
    }
    let (status, output) = runScript("start")
    guard status == 0, isUp() else {
      return .failure(XCTSkip("the single-node Slurm cluster could not start: \(output)"))
    }
    atexit { _ = SlurmCluster.runScript("stop") }
    return .success(())
  }

  /// Runs scripts/slurm-single-node.sh with its output in a file, not a pipe: the daemons it
  /// starts outlive it, and a pipe they inherited would never reach its end.
  public static func runScript(_ command: String) -> (Int32, String) {
    let log = FileManager.default.temporaryDirectory.appendingPathComponent("wb-slurm-\(getpid())-\(command).log")
    _ = FileManager.default.createFile(atPath: log.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: log) }
    let p = Process()
    p.executableURL = script
    p.arguments = [command]
    do {
      let handle = try FileHandle(forWritingTo: log)
      defer { try? handle.close() }
      p.standardOutput = handle
      p.standardError = handle
      try p.run()
      p.waitUntilExit()
    } catch { return (-1, "\(script.path) could not run: \(error)") }
    let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
    return (p.terminationStatus, text.trimmingCharacters(in: .whitespacesAndNewlines))
  }

  /// Runs a command found on PATH; its output and status.
  @discardableResult
  public static func shell(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let r = try p.runCapturingOutput()
    return (r.status, r.out, r.err)
  }
}
