import Autograd

extension Trainer {
  /// Throws naming the first loss term whose value is NaN or infinite.
  func checkFinite(_ terms: LossTerms, epoch: Int, batch: Int) throws {
    for t in terms.terms where !t.value.value.isFinite {
      throw TrainingError.nonFiniteLoss(term: t.name, epoch: epoch, batch: batch, lastGoodCheckpoint: goodCheckpointPath)
    }
    if !terms.total.value.isFinite {
      throw TrainingError.nonFiniteLoss(term: "total", epoch: epoch, batch: batch, lastGoodCheckpoint: goodCheckpointPath)
    }
  }

  /// Throws naming the first parameter whose gradient holds NaN or ±Inf.
  func checkFinite(_ parameters: [TrainableParameter], epoch: Int, batch: Int) throws {
    for p in parameters where !(p.variable.grad.map(Self.allFinite) ?? true) {
      throw TrainingError.nonFiniteGradient(parameter: p.name, epoch: epoch, batch: batch, lastGoodCheckpoint: goodCheckpointPath)
    }
  }

  /// True when no element is NaN or ±Inf: `x·0` is 0 for finite x and NaN otherwise, so one
  /// vectorisable sum answers for the whole tensor.
  static func allFinite(_ t: Tensor<Float>) -> Bool {
    t.scalars.withUnsafeBufferPointer { p in
      var acc: Float = 0
      for x in p { acc += x * 0 }
      return acc == 0
    }
  }

  /// The path of the last checkpoint written, if any (it is never overwritten by a bad state).
  var goodCheckpointPath: String? { completedEpochs > 0 ? lastCheckpointURL?.path : nil }
}
