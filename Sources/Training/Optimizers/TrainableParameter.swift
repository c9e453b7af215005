import Autograd

/// A parameter as the optimizer sees it: a stable dotted name (the key of its optimizer state
/// and of its checkpoint entry), the variable, and whether weight decay applies to it.
public struct TrainableParameter {
  /// Stable dotted name, e.g. `"backbone.conv1.weight"`.
  public let name: String
  /// The leaf variable updated in place.
  public let variable: Variable
  /// Whether the optimizer's weight decay applies.
  public let decays: Bool

  /// Creates a parameter entry.
  public init(name: String, variable: Variable, decays: Bool) {
    self.name = name
    self.variable = variable
    self.decays = decays
  }

  /// Parameter groups by the usual rule: weights decay, while biases and normalisation scales
  /// and shifts (every parameter of rank ≤ 1: BN γ and β, conv and dense biases) do not, since
  /// shrinking them towards 0 only fights the normalisation (Goyal et al., "Accurate, Large
  /// Minibatch SGD", 2017, §5.1, and common practice). `decayAll` restores decay everywhere.
  public static func groups(_ parameters: [(name: String, variable: Variable)], decayAll: Bool = false)
    -> [TrainableParameter]
  {
    parameters.map {
      TrainableParameter(name: $0.name, variable: $0.variable, decays: decayAll || $0.variable.value.rank > 1)
    }
  }
}
