import Autograd
import Graph
import GraphTraining
import Training

/// The training loss on classification data: softmax cross-entropy of the graph's logits
/// output against the batch's labels, with optional label smoothing (Szegedy et al. 2016;
/// see ``CrossEntropyLoss``). The single term is named `ce` in the training history.
enum ClassificationObjective {
  /// The objective for `graph`, which must have a `logits` output of `[N, classes]` (or
  /// `[N, classes, 1, 1]`); `labelSmoothing` must be in [0, 1).
  static func make(graph: ModelGraph, labelSmoothing: Double) throws -> (GraphModel.Output, LoaderBatch) -> LossTerms {
    guard let head = graph.outputs.first(where: { $0.role == .logits }) else {
      throw StageError.failed(
        "model \(graph.name) has no logits output, so it cannot be trained on classification data; mark its classifier layer with \"output\": \"logits\""
      )
    }
    guard (0..<1).contains(labelSmoothing) else {
      throw StageError.failed(
        "train.loss.label_smoothing is \(labelSmoothing); cross-entropy label smoothing must be at least 0 and below 1")
    }
    let loss = CrossEntropyLoss(labelSmoothing: Float(labelSmoothing))
    let name = head.name
    return { out, batch in
      guard let logits = out[name] else { return LossTerms([]) }
      return LossTerms("ce", loss(logits.reshaped([logits.shape[0], -1]), labels: batch.labels))
    }
  }
}
