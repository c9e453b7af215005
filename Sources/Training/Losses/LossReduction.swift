import Autograd

/// How a loss turns per-element values into its result (PyTorch's `reduction`).
public enum LossReduction: String, Codable, Sendable {
  /// The mean over elements (for weighted losses, the weighted mean; see each loss).
  case mean
  /// The sum over elements.
  case sum
  /// No reduction: one value per element, in the input's shape.
  case none

  /// Applies the reduction to an elementwise loss.
  func apply(_ perElement: Variable) -> Variable {
    switch self {
    case .mean: return perElement.mean()
    case .sum: return perElement.sum()
    case .none: return perElement
    }
  }
}
