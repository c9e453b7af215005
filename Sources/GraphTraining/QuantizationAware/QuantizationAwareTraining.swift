import Autograd
import Foundation
import Graph
import Training

/// Quantization-aware fine-tuning (Jacob et al. 2018): a trained float graph is trained for a
/// few more epochs through the existing, resumable ``Trainer`` with its forward pass
/// fake-quantized (``QuantizationSimulation``), so the weights adapt to the rounding the
/// quantized model will do. The result is a float graph; quantize it with the same ranges
/// (Quantization's `SchemeQuantization.quantize`) to get the deployed model.
///
/// The quantize stage calls ``fineTune(graph:simulation:configuration:trainingData:validationData:objective:identityClasses:random:directory:callbacks:)``
/// with the BatchNorm-folded graph it quantizes, the simulation built from its calibrated
/// ranges, a ``TrainingConfiguration`` (the `qat {epochs, lr}` settings) and the train stage's
/// loader source and objective. With a `directory`, checkpoints are written there every epoch and
/// an interrupted fine-tuning resumes bit-identically (the ranges are frozen, so the weights,
/// optimizer state and streams are the whole state).
public enum QuantizationAwareTraining {
  /// Fine-tunes `graph` under `simulation` and returns the fine-tuned float graph and why
  /// training stopped.
  /// - Parameters:
  ///   - graph: the float graph to quantize (parameter values present; BatchNorm folded).
  ///   - identityClasses: for identity data, the size of the (fresh) identity head that the
  ///     objective's cross-entropy term needs (see ``GraphModel``); nil otherwise.
  ///   - random: initialises parameters the graph lacks and the identity head.
  ///   - directory: where checkpoints and the history go (nil: in memory).
  /// - Throws: ``GraphTrainingError`` for a graph that cannot be trained; ``TrainingError`` and
  ///   whatever the data source or callbacks throw.
  public static func fineTune<Source: BatchSource>(
    graph: ModelGraph, simulation: QuantizationSimulation, configuration: TrainingConfiguration,
    trainingData: Source, validationData: Source? = nil,
    objective: @escaping (GraphModel.Output, Source.Batch) -> LossTerms, identityClasses: Int? = nil,
    random: RandomStream, directory: URL? = nil, callbacks: [TrainingCallback] = []
  ) throws -> (graph: ModelGraph, reason: StopReason) where Source.Batch.Input == Variable {
    let executor = try GraphExecutor(graph: graph, random: random.split("init"))
    executor.simulation = simulation
    let model = try GraphModel(executor: executor, identityClasses: identityClasses, random: random)
    let trainer = try Trainer(
      model: model, configuration: configuration, trainingData: trainingData, validationData: validationData,
      objective: objective, directory: directory, callbacks: callbacks)
    let reason = try trainer.fit(resume: directory != nil)
    return (executor.exportGraph(), reason)
  }

  /// The graph outputs of `graph` run under `simulation` in inference mode: the quantized model's
  /// outputs as the fake-quant simulation computes them (at 8 bits, those of Quantization's
  /// `FakeQuantExecutor`; at other bit widths, the b-bit generalisation of its arithmetic).
  /// - Throws: ``GraphTrainingError`` when the graph has non-float parameters.
  public static func simulate(
    _ graph: ModelGraph, simulation: QuantizationSimulation, inputs: [String: Tensor<Float>]
  ) throws -> [String: Tensor<Float>] {
    let executor = try GraphExecutor(graph: graph)
    executor.simulation = simulation
    return withoutGradients {
      executor.forward(inputs: inputs.mapValues { Variable($0) }, training: false).mapValues(\.value)
    }
  }
}
