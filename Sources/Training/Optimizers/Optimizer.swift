import Autograd

/// The optimizer of a training run: its rule and settings, and its state.
///
/// A value type whose state is plain `Codable` data keyed by parameter name, so a checkpoint
/// stores it and a resumed run continues with bit-identical updates.
public struct Optimizer: Codable, Equatable, Sendable {
  /// The update rule with its settings.
  public enum Rule: Codable, Equatable, Sendable {
    /// Stochastic gradient descent (with momentum).
    case sgd(SGD)
    /// Adam, or AdamW when its weight decay is decoupled.
    case adam(Adam)
  }

  /// The rule.
  public var rule: Rule
  /// Buffers and step count.
  public var state = OptimizerState()

  /// Creates an optimizer with empty state.
  public init(_ rule: Rule) { self.rule = rule }

  /// Applies one update to every parameter that has a gradient, with learning rate `lr`.
  /// Parameters without a gradient (unused in this step) are left untouched.
  public mutating func step(_ parameters: [TrainableParameter], learningRate lr: Float) {
    state.step += 1
    for p in parameters {
      guard let g = p.variable.grad else { continue }
      switch rule {
      case .sgd(let sgd):
        sgd.update(&p.variable.value, gradient: g, name: p.name, decays: p.decays, learningRate: lr, state: &state)
      case .adam(let adam):
        adam.update(
          &p.variable.value, gradient: g, name: p.name, decays: p.decays, learningRate: lr, step: state.step,
          state: &state)
      }
    }
  }
}
