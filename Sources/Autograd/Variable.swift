/// A node of the reverse-mode autodiff graph: a Float tensor value, its accumulated gradient,
/// and — for results of differentiable ops — the parents and the op's backward rule.
///
/// The graph is built as ops run (define-by-run, as in micrograd and PyTorch): each op records
/// its parents and a closure that maps the output gradient to one gradient per parent.
/// Children hold their parents strongly and parents never point to children, so no cycle forms
/// and an iteration's graph is freed when its last result goes out of scope.
public final class Variable {
  /// The forward value.
  public var value: Tensor<Float>
  /// The gradient accumulated by ``backward(seed:)``, or nil before any backward pass.
  public var grad: Tensor<Float>?
  /// Whether gradients flow to this variable (parameters and results computed from them).
  public let requiresGrad: Bool
  /// The name of the op that produced this value (`"leaf"` for inputs and parameters).
  public let op: String

  let parents: [Variable]
  let backwardRule: ((Tensor<Float>) -> [Tensor<Float>?])?

  /// A leaf: an input (`requiresGrad: false`) or a trainable parameter (`requiresGrad: true`).
  public init(_ value: Tensor<Float>, requiresGrad: Bool = false) {
    self.value = value
    self.requiresGrad = requiresGrad
    self.op = "leaf"
    self.parents = []
    self.backwardRule = nil
  }

  init(value: Tensor<Float>, op: String, parents: [Variable], backward: @escaping (Tensor<Float>) -> [Tensor<Float>?]) {
    self.value = value
    self.requiresGrad = true
    self.op = op
    self.parents = parents
    self.backwardRule = backward
  }

  /// The shape of the value.
  public var shape: [Int] { value.shape }

  /// Records the result of an op. When gradient recording is off (``GradMode``) or no parent
  /// needs a gradient, the result is a constant and `backward` is never kept.
  ///
  /// `backward` receives the gradient of the output and returns one gradient per parent (nil
  /// where none flows). A returned gradient may have the broadcast output shape: it is summed
  /// back to the parent's shape here, in one place, for every op.
  public static func record(
    _ op: String, _ value: Tensor<Float>, parents: [Variable],
    backward: @escaping (Tensor<Float>) -> [Tensor<Float>?]
  ) -> Variable {
    guard recordsGradient(parents: parents) else { return Variable(value) }
    return Variable(value: value, op: op, parents: parents, backward: backward)
  }

  /// Whether ``record(_:_:parents:backward:)`` would keep the backward rule of an op on
  /// `parents`: gradient recording is on and some parent needs a gradient. Ops check it to skip
  /// work only the backward pass needs (an argmax, a stored intermediate).
  public static func recordsGradient(parents: [Variable]) -> Bool {
    GradMode.isEnabled && parents.contains(where: \.requiresGrad)
  }

  /// A constant with the same value, cut from the graph (gradients stop here).
  public func detached() -> Variable { Variable(value) }

  /// Clears the accumulated gradient.
  public func zeroGrad() { grad = nil }

  /// Accumulates `g` (already of this variable's shape) into ``grad``.
  func accumulate(_ g: Tensor<Float>) {
    if grad == nil { grad = g } else { grad?.addInPlace(g) }
  }
}
