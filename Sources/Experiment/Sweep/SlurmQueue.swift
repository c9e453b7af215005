import Foundation
import Support

/// What `squeue` and `scontrol` say about a job array.
enum SlurmQueue {
  /// The array's tasks still in the queue (task index → state code such as `PD`, `R`, `CG`),
  /// and whether the job has left the queue altogether. A pending range (`12_[3-5]`) lists no
  /// task; a failing `squeue` (controller briefly unreachable) counts as still queued.
  static func tasks(job: String) -> (states: [Int: String], gone: Bool) {
    guard let r = try? SlurmCommand.run("squeue", ["-h", "-r", "-j", job, "-o", "%K %t"]) else { return ([:], false) }
    // squeue -j of a job that has been purged prints "Invalid job id specified" and exits 1
    if r.status != 0 { return ([:], r.err.localizedCaseInsensitiveContains("invalid job id")) }
    var states: [Int: String] = [:]
    var lines = 0
    for line in r.out.split(separator: "\n") {
      lines += 1
      let parts = line.split(separator: " ")
      if parts.count == 2, let i = Int(parts[0]) { states[i] = String(parts[1]) }
    }
    return (states, lines == 0)
  }

  /// Why array task `task` ended without an exit file: its state and reason from `scontrol`
  /// when Slurm still knows the job, and where to look.
  static func failure(job: String, task: Int, script: SlurmJobScript) -> Error {
    var how = "ended"
    if let r = try? SlurmCommand.run("scontrol", ["-o", "show", "job", "\(job)_\(task)"]), r.status == 0 {
      let fields = Dictionary(
        r.out.split(separator: " ").compactMap { f -> (String, String)? in
          guard let eq = f.firstIndex(of: "=") else { return nil }
          return (String(f[..<eq]), String(f[f.index(after: eq)...]).trimmingCharacters(in: .whitespacesAndNewlines))
        }, uniquingKeysWith: { a, _ in a })
      if let state = fields["JobState"] {
        how = "ended \(state)" + (fields["Reason"].map { $0 == "None" ? "" : " (\($0))" } ?? "")
      }
    }
    return StageError.failed(
      "Slurm task \(job)_\(task) \(how) before `workbench run` reported an exit status; see "
        + "\(script.slurmOutput(task).path) and the node's slurmd log")
  }
}
