import Autograd

/// What the training loop needs from a model: its parameters by stable name, its batch-norm
/// running statistics and random streams (both saved in checkpoints), and a forward pass.
///
/// A `GraphExecutor` conforms in a few lines (its `parameters`, its BN states, and
/// `forward(inputs:training:)`); tests conform small models built directly from Autograd ops.
public protocol TrainableModel: AnyObject {
  /// What the forward pass consumes (e.g. an image batch `Variable`).
  associatedtype Input
  /// What the forward pass produces (e.g. head outputs by name).
  associatedtype Output

  /// Trainable leaves with stable dotted names, in a fixed order.
  var parameters: [(name: String, variable: Variable)] { get }
  /// Batch-normalisation running statistics by layer name (empty by default).
  var batchNormStates: [(name: String, state: BatchNormState)] { get }
  /// Random streams the model draws from while training (dropout, …), by purpose; saved and
  /// restored by checkpoints so a resumed run draws the same numbers. Empty by default.
  var randomStreams: [String: RandomStream] { get set }

  /// Runs the model; `training` selects batch statistics and enables stochastic layers.
  func forward(_ input: Input, training: Bool) -> Output
}

extension TrainableModel {
  /// No batch normalisation.
  public var batchNormStates: [(name: String, state: BatchNormState)] { [] }
  /// No random streams.
  public var randomStreams: [String: RandomStream] {
    get { [:] }
    set {}
  }
}
