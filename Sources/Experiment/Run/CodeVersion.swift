import Foundation

/// Identity of the code, recorded in manifests and part of every cache key.
public enum CodeVersion {
  public static let workbench = "0.1.0"
  #if compiler(>=6.3)
    public static let compiler = "swift 6.3+"
  #else
    public static let compiler = "swift < 6.3"
  #endif

  /// SHA-256 of the running executable, which holds all of Workbench's code (SwiftPM links the
  /// library targets into it statically). It is part of every cache key, so any change to the
  /// code — or a debug instead of a release build, whose floating-point results may differ —
  /// gets fresh cache entries instead of re-using results the new code would not reproduce.
  /// Hashed once per process (about 0.1 s for the release binary). If the executable cannot
  /// be read, the value is unique to this process, so nothing is ever re-used from the cache
  /// rather than possibly re-using results of other code.
  public static let build: String = {
    let path =
      FileManager.default.fileExists(atPath: "/proc/self/exe")
      ? "/proc/self/exe"
      : (Bundle.main.executablePath ?? CommandLine.arguments[0])
    return (try? FileHash.file(URL(fileURLWithPath: path))) ?? "unreadable-executable-\(UUID().uuidString)"
  }()
}
