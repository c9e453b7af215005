import Autograd

extension Trainer {
  /// Throws naming the first loss term whose value is NaN or infinite.
  func checkFinite(_ terms: LossTerms, epoch: Int, batch: Int) throws {
    for t in terms.terms where !t.value.value.isFinite {
      throw TrainingError.nonFiniteLoss(
        term: t.name, epoch: epoch, batch: batch, lastGoodCheckpoint: goodCheckpointPath)
    }
    if !terms.total.value.isFinite {
      throw TrainingError.nonFiniteLoss(
        term: "total", epoch: epoch, batch: batch, lastGoodCheckpoint: goodCheckpointPath)
    }
  }

  /// Throws naming the first parameter whose gradient holds NaN or ±Inf.
  func checkFinite(_ parameters: [TrainableParameter], epoch: Int, batch: Int) throws {
    for p in parameters where !(p.variable.grad?.isFinite ?? true) {
      throw TrainingError.nonFiniteGradient(
        parameter: p.name, epoch: epoch, batch: batch, lastGoodCheckpoint: goodCheckpointPath)
    }
  }

  /// The path of the last checkpoint written, if any (it is never overwritten by a bad state).
  var goodCheckpointPath: String? { completedEpochs > 0 ? lastCheckpointURL?.path : nil }
}
