import Tensors

/// Everything an optimizer remembers between steps, keyed by parameter name, so that a
/// checkpoint can restore it exactly.
public struct OptimizerState: Codable, Equatable, Sendable {
  /// Number of steps taken (Adam's bias-correction `t`).
  public var step: Int = 0
  /// Per-parameter buffers: `"momentum/<name>"`, `"expAvg/<name>"`, `"expAvgSq/<name>"`.
  public var buffers: [String: Tensor<Float>] = [:]

  /// An empty state (no step taken).
  public init() {}
}
