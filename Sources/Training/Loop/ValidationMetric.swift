/// A validation metric computed after each epoch's validation phase (mAP, verification
/// accuracy, …), monitored by early stopping and recorded in the history.
///
/// `compute` receives the model and runs its own evaluation (gradients are off while it runs);
/// it is a closure so metric code (e.g. `Metrics`) need not be a dependency of `Training`.
public struct ValidationMetric<Model: TrainableModel> {
  /// Name shown in progress lines.
  public var name: String
  /// Whether larger is better (accuracy) or smaller (error).
  public var higherIsBetter: Bool
  /// Computes the metric.
  public var compute: (Model) throws -> Double

  /// Creates a metric.
  public init(name: String, higherIsBetter: Bool, compute: @escaping (Model) throws -> Double) {
    self.name = name
    self.higherIsBetter = higherIsBetter
    self.compute = compute
  }
}
