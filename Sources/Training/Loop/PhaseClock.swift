import Foundation

/// Accumulates wall-clock time per named phase: each ``lap(_:)`` charges the time since the
/// previous lap to the given phase.
struct PhaseClock {
  private var last = DispatchTime.now().uptimeNanoseconds
  /// Seconds per phase so far.
  private(set) var totals: [String: Double] = [:]

  mutating func lap(_ phase: String) {
    let now = DispatchTime.now().uptimeNanoseconds
    totals[phase, default: 0] += Double(now &- last) * 1e-9
    last = now
  }
}
