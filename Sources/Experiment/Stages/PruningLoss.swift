import Compression
import Graph

/// The loss the Taylor criterion (Molchanov et al. 2019) differentiates, shared by the
/// `sensitivity` and `compress` stages.
enum PruningLoss {
  /// The task loss of training batch `i` (the train section's objective, inference-mode
  /// BatchNorm, no augmentation), for the Taylor criterion's gradients.
  /// - Throws: ``StageError/failed(_:)`` for identity data, whose loss needs P×K batches.
  static func taylor(_ graph: ModelGraph, dataPath: String, context: StageContext) throws -> Compressor.Loss {
    var s = context.settings
    (s.train.augment.flip, s.train.augment.scale, s.train.augment.translate) = (0, 0, 0)
    (s.train.augment.brightness, s.train.augment.contrast) = (0, 0)
    let inputs = try TrainingInputs(graph: graph, dataPath: dataPath, settings: s, random: context.rng.split("taylor"))
    guard inputs.identityClasses == nil, let input = graph.inputs.first?.name else {
      throw StageError.failed(
        "compress.prune.criterion: taylor needs a loss without the identity head (detection or classification data); use l1, l2 or bn_scale for identity data"
      )
    }
    let stream = context.rng.split("taylor")
    return { executor, i in
      let batch = try inputs.train.batch(i % max(1, inputs.train.batchCount(epoch: 0)), epoch: 0, stream: stream)
      return inputs.objective(executor.forward(inputs: [input: batch.input], training: false), batch).total
    }
  }
}
