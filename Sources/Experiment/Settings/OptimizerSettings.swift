import Support
import Training

/// `train.optimizer`.
public struct OptimizerSettings: Codable, Equatable, Sendable {
  /// Optimizer names.
  public enum Name: String, SettingChoice {
    /// SGD with (optionally Nesterov) momentum, PyTorch semantics.
    case sgd
    /// Adam (Kingma & Ba 2015) with L2 weight decay.
    case adam
    /// AdamW (Loshchilov & Hutter 2019): decoupled weight decay.
    case adamw
  }

  /// Learning-rate schedule.
  public var name: Name
  /// Peak learning rate.
  public var lr: Double
  /// SGD momentum (PyTorch semantics).
  public var momentum: Double
  /// Nesterov momentum for SGD.
  public var nesterov: Bool
  /// L2 (SGD, Adam) or decoupled (AdamW) weight decay; not applied to BatchNorm and bias parameters.
  public var weightDecay: Double
  /// Adam β₁.
  public var beta1: Double
  /// Adam β₂.
  public var beta2: Double

  static let schema = Schema.object(
    fields: [
      .init("name", .choice(Name.self, "Optimizer."), default: "adam"),
      .init("lr", .positive("Peak learning rate."), default: 0.002),
      .init("momentum", .fraction("SGD momentum (PyTorch semantics)."), default: 0.9),
      .init("nesterov", .bool(doc: "Nesterov momentum for SGD."), default: false),
      .init(
        "weight_decay",
        .number(
          min: 0, max: nil, exclusiveMin: false, integer: false,
          doc: "L2 (SGD, Adam) or decoupled (AdamW) weight decay; not applied to BatchNorm and bias parameters."),
        default: 0.0005),
      .init("beta1", .fraction("Adam β₁."), default: 0.9),
      .init("beta2", .fraction("Adam β₂."), default: 0.999),
    ], doc: "Optimizer settings.")

  /// The Training library's rule.
  public var rule: Optimizer.Rule {
    switch name {
    case .sgd: return .sgd(SGD(momentum: Float(momentum), nesterov: nesterov, weightDecay: Float(weightDecay)))
    case .adam: return .adam(Adam(beta1: Float(beta1), beta2: Float(beta2), weightDecay: Float(weightDecay)))
    case .adamw: return .adam(Adam.adamW(beta1: Float(beta1), beta2: Float(beta2), weightDecay: Float(weightDecay)))
    }
  }
}
