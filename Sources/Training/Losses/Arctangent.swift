import Autograd

extension Variable {
  /// Elementwise arctangent, `d/dx atan x = 1 / (1 + x²)`. A fused op of this target (used by
  /// the CIoU aspect-ratio term); its gradient is checked against finite differences in
  /// `TrainingTests`.
  public func arctangent() -> Variable {
    let x = value
    return Variable.record("atan", x.map { LibM.atan($0) }, parents: [self]) { g in
      [Tensor.zip(g, x) { $0 / (1 + $1 * $1) }]
    }
  }

  /// Elementwise maximum of two variables, `(a + b + |a − b|) / 2`; at ties the gradient is
  /// shared equally.
  static func elementwiseMax(_ a: Variable, _ b: Variable) -> Variable { (a + b + (a - b).abs()) * 0.5 }

  /// Elementwise minimum of two variables, `(a + b − |a − b|) / 2`.
  static func elementwiseMin(_ a: Variable, _ b: Variable) -> Variable { (a + b - (a - b).abs()) * 0.5 }
}
