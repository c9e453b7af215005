import Training

extension Cancellation {
  /// A training callback that stops the loop after the batch during which SIGINT/SIGTERM
  /// arrived (the loop then checkpoints), for every stage that trains: train, compress's
  /// fine-tuning and quantize's QAT.
  static var trainingCallback: ClosureCallback {
    ClosureCallback { event, state in
      if case .trainBatchEnd = event, isRequested { state.stopRequested = true }
    }
  }
}
