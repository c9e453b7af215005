/// Failures of training, each with a sentence a user can act on.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
  /// A setting is out of range or inconsistent.
  case invalidConfiguration(String)
  /// A loss term became NaN or ±Inf.
  case nonFiniteLoss(term: String, epoch: Int, batch: Int, lastGoodCheckpoint: String?)
  /// A parameter's gradient contains NaN or ±Inf.
  case nonFiniteGradient(parameter: String, epoch: Int, batch: Int, lastGoodCheckpoint: String?)
  /// A checkpoint could not be read or does not match the model.
  case checkpoint(String)
  /// Writing a file failed.
  case io(path: String, reason: String)

  /// The message shown to the user.
  public var description: String {
    switch self {
    case .invalidConfiguration(let message):
      return "Invalid training configuration: \(message)."
    case let .nonFiniteLoss(term, epoch, batch, checkpoint):
      return "Training stopped: the loss term '\(term)' became NaN or infinite at epoch \(epoch), batch \(batch). "
        + "Lower the learning rate, enable gradient clipping, or check the targets of that term. "
        + Self.kept(checkpoint)
    case let .nonFiniteGradient(parameter, epoch, batch, checkpoint):
      return
        "Training stopped: the gradient of parameter '\(parameter)' became NaN or infinite at epoch \(epoch), batch \(batch). "
        + "Lower the learning rate or enable gradient clipping. " + Self.kept(checkpoint)
    case .checkpoint(let message):
      return "Checkpoint error: \(message)."
    case let .io(path, reason):
      return "Could not write '\(path)': \(reason)."
    }
  }

  static func kept(_ checkpoint: String?) -> String {
    checkpoint.map { "The last good checkpoint is kept at \($0)." } ?? "No checkpoint had been written yet."
  }
}
