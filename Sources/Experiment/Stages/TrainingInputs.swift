import Datasets
import Foundation
import Graph
import GraphTraining
import Training

/// What a training loop over the experiment's data needs — the training and validation
/// sources, the objective and the identity-class count — built the one way the train stage
/// and quantization-aware fine-tuning (the quantize stage) both use.
struct TrainingInputs {
  var train: LoaderSource
  var validation: LoaderSource?
  var objective: (GraphModel.Output, LoaderBatch) -> LossTerms
  /// Identity classes of the cross-entropy head (identity data only).
  var identityClasses: Int?

  /// Sources over `dataPath` feeding `graph` with `settings`' batch size and augmentation
  /// (P×K batches for identity data); `random` is the stage's stream, split by `"data"` and
  /// `"val-data"` for the loaders.
  init(graph: ModelGraph, dataPath: String, settings s: ExperimentSettings, random: RandomStream) throws {
    let data = try DatasetFile(path: dataPath)
    let isIdentity = data.kind == .identity
    let identities = isIdentity ? try data.split("train").identities() : []
    identityClasses = isIdentity ? (identities.max() ?? 0) + 1 : nil
    var loaderConfig = LoaderConfig(feeding: graph, batchSize: s.train.batchSize, shuffle: true)
    loaderConfig.augmentation = s.train.augmentation
    var pk: PKBatchSampler? = nil
    if isIdentity {
      let k = min(s.train.pkImages, s.data.imagesPerIdentity)
      let p = max(2, s.train.batchSize / k)
      loaderConfig.batchSize = p * k
      pk = try PKBatchSampler(labels: identities, identitiesPerBatch: p, imagesPerIdentity: k)
    }
    train = LoaderSource(
      loader: try DataLoader(path: dataPath, split: "train", config: loaderConfig, random: random.split("data")),
      pk: pk, stream: random)
    validation = nil
    if !isIdentity, data.splitNames.contains("val") {
      let vc = LoaderConfig(feeding: graph, batchSize: s.train.batchSize, shuffle: false)
      validation = LoaderSource(
        loader: try DataLoader(path: dataPath, split: "val", config: vc, random: random.split("val-data")),
        stream: random)
    }
    objective =
      data.kind == .classification
      ? try ClassificationObjective.make(graph: graph, labelSmoothing: s.train.loss.labelSmoothing)
      : try TrainStage.objective(graph: graph, settings: s, identity: isIdentity)
  }
}
