import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Cooperative cancellation on SIGINT/SIGTERM: the first signal sets a flag that stages check at
/// safe points (after a training step's checkpoint); a second SIGINT exits immediately.
public enum Cancellation {
  nonisolated(unsafe) private static var requested: sig_atomic_t = 0

  public static var isRequested: Bool { requested != 0 }

  /// Installs the handlers (idempotent).
  public static func install() {
    signal(SIGINT) { _ in
      if Cancellation.requested != 0 { _exit(130) }
      Cancellation.requested = 1
    }
    signal(SIGTERM) { _ in Cancellation.requested = 1 }
  }

  /// For tests: request or clear cancellation.
  public static func set(_ value: Bool) { requested = value ? 1 : 0 }
}
