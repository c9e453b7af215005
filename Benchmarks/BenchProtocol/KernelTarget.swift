import Foundation

/// Issue #18's target for the kernel section: the forward pass of every 3×3 layer at `threshold`
/// percent or more of the large-sgemm rate measured beside it. The section ends with this line, so
/// a run answers the question without a reader scanning thirteen lines of rates.
public struct KernelTarget: Equatable, Sendable {
  /// Percent of the sgemm rate every layer's forward pass must reach.
  public var threshold: Double

  public init(threshold: Double = 70) { self.threshold = threshold }

  /// The closing line for the layers' forward percentages, in the order they were measured.
  public func summary(_ layers: [(name: String, percent: Double)]) -> String {
    guard let lowest = layers.min(by: { $0.percent < $1.percent }) else { return "no layer was measured" }
    func percent(_ p: Double) -> String { String(format: "%.1f%%", p) }
    let below = layers.filter { $0.percent < threshold }
    let target = "forward ≥ " + String(format: "%.0f%%", threshold) + " of the sgemm beside it"
    if below.isEmpty {
      return target + ": met on all \(layers.count) layers (lowest \(lowest.name) at \(percent(lowest.percent)))"
    }
    let names = below.map { "\($0.name) at \(percent($0.percent))" }.joined(separator: ", ")
    return target + ": not met on \(below.count) of \(layers.count) layers (\(names))"
  }
}
