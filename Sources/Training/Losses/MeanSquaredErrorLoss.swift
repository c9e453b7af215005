import Autograd

/// Mean squared error `(x − t)²`, reduced by mean (default) or sum.
public struct MeanSquaredErrorLoss: Sendable {
  /// How squared errors are combined.
  public var reduction: LossReduction

  /// Creates the loss.
  public init(reduction: LossReduction = .mean) { self.reduction = reduction }

  /// The loss of `prediction` against a constant `target` of the same shape.
  public func callAsFunction(_ prediction: Variable, target: Tensor<Float>) -> Variable {
    precondition(
      prediction.shape == target.shape,
      "MeanSquaredErrorLoss: prediction \(prediction.shape) and target \(target.shape) differ")
    return reduction.apply((prediction - Variable(target)).squared())
  }
}
