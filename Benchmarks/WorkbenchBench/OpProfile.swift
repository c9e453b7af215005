import Foundation

/// What the single-op profile modes (`conv-forward:…`, `conv-backward:…`, `bn-pool-backward:…`)
/// share: the mode's integer arguments, and 2,000 timed calls of the op — a target for
/// `perf record` on one op, and its best and median call.
enum OpProfile {
  /// The integers after the mode's name; exits with status 2 and the expected `form` when there
  /// are not `count` of them.
  static func arguments(_ mode: String, count: Int, form: String) -> [Int] {
    let values = mode.split(separator: ":").dropFirst().compactMap { Int($0) }
    guard values.count == count else {
      FileHandle.standardError.write(Data("WorkbenchBench: expected \(form), got \(mode)\n".utf8))
      exit(2)
    }
    return values
  }

  /// Milliseconds of 2,000 calls of `body`, fastest first.
  static func callTimes(_ body: () -> Void) -> [Double] {
    (0..<2000).map { _ in 1e3 * KernelRates.seconds(body) }.sorted()
  }
}
