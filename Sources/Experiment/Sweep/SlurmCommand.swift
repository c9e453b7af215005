import Foundation
import Support

/// Why the Slurm launcher could not submit or follow its job array.
public enum SlurmError: Error, CustomStringConvertible {
  /// A Slurm client tool is not on PATH.
  case missingTool(String)
  /// `sbatch` refused the job array (its message).
  case submitFailed(String)

  public var description: String {
    switch self {
    case .missingTool(let tool):
      return "`\(tool)` was not found on PATH: install Slurm's client tools (Debian: slurm-client) and make sure "
        + "a controller is reachable, or run the sweep with --launcher local"
    case .submitFailed(let message):
      return "sbatch refused the sweep's job array: \(message)"
    }
  }
}

/// One run of a Slurm client tool (`sbatch`, `squeue`, `scontrol`, `scancel`) found on PATH.
struct SlurmCommand {
  var status: Int32
  var out: String
  var err: String

  /// The path of `tool` on PATH, if any.
  static func find(_ tool: String) -> URL? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for dir in path.split(separator: ":") {
      let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(tool)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    return nil
  }

  /// Runs `tool args…` to completion and captures what it printed.
  /// - Throws: ``SlurmError/missingTool(_:)`` when `tool` is not on PATH; the error of
  ///   `Process.run` when it cannot be started.
  static func run(_ tool: String, _ args: [String]) throws -> SlurmCommand {
    guard let exe = find(tool) else { throw SlurmError.missingTool(tool) }
    let p = Process()
    p.executableURL = exe
    p.arguments = args
    p.standardInput = FileHandle.nullDevice
    let r = try p.runCapturingOutput()
    return SlurmCommand(
      status: r.status, out: r.out, err: r.err.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}
