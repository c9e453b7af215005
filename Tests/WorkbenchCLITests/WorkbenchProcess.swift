import Foundation
import Support
import XCTest

/// The built `workbench` executable, run as a user runs it: from the package root, with its own
/// stage cache, capturing standard output, standard error and the exit status.
struct WorkbenchProcess {
  /// The package root (experiment paths such as `experiments/quick.json` are relative to it).
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// The stage cache the runs use (`WORKBENCH_CACHE`).
  let cache: URL

  /// What one run printed and how it ended.
  struct Outcome {
    var status: Int32
    var out: String
    var err: String
  }

  /// The built executable: next to the test bundle in SwiftPM's build folder.
  static func executable() throws -> URL {
    let testBinary = URL(fileURLWithPath: ProcessInfo.processInfo.arguments.first ?? "")
    let candidates = [
      testBinary.deletingLastPathComponent(), Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
      root.appendingPathComponent(".build/debug"),
    ]
    for dir in candidates {
      let candidate = dir.appendingPathComponent("workbench")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
    }
    throw XCTSkip("the workbench executable is not built next to the tests (run `swift build` first)")
  }

  /// `workbench ARGS…`, not yet started: from the package root, on this stage cache.
  private func process(_ args: [String]) throws -> Process {
    let p = Process()
    p.executableURL = try Self.executable()
    p.arguments = args
    p.currentDirectoryURL = Self.root
    var env = ProcessInfo.processInfo.environment
    env["WORKBENCH_CACHE"] = cache.path
    p.environment = env
    return p
  }

  /// Starts `workbench ARGS…` in the background with its output discarded, for tests that
  /// interrupt it (kill -9, Ctrl-C) part-way.
  func start(_ args: [String]) throws -> Process {
    let p = try process(args)
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    return p
  }

  /// Runs `workbench ARGS…` to completion. Standard error is drained on another thread, so a
  /// command that writes much to both streams cannot block on a full pipe.
  func run(_ args: [String]) throws -> Outcome {
    let p = try process(args)
    let r = try p.runCapturingOutput()
    return Outcome(status: r.status, out: r.out, err: r.err)
  }
}
