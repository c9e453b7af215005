import Autograd
import Datasets
import Geometry
import Graph
import GraphTraining
import Metrics
import Tensors

/// The task KPI of a float graph on a fixed subset of the evaluation split — the first
/// `samples` images, loaded once and kept in memory — for the many evaluations of a
/// sensitivity analysis: mAP@0.5 (the evaluate section's AP definition, NMS and thresholds)
/// for detection data, top-1 accuracy for classification data. Each call builds an executor
/// for the graph (its shapes change with pruning) and runs the cached batches in inference mode.
struct SensitivityKPI {
  /// The KPI's name in `metrics.json`.
  let name: String
  /// Images measured.
  let samples: Int
  private let batches: [Batch]
  private let input: String
  private let measure: (_ outputs: [[String: Tensor<Float>]]) throws -> Double

  /// Loads the subset of `settings.evaluate.split` feeding `graph`.
  /// - Throws: ``StageError/failed(_:)`` for identity data (its verification KPI needs pairs
  ///   across the whole split) or a missing split.
  init(graph: ModelGraph, dataPath: String, settings s: ExperimentSettings, samples: Int) throws {
    let data = try DatasetFile(path: dataPath)
    let splitName = s.evaluate.split.rawValue
    guard data.splitNames.contains(splitName) else {
      throw StageError.failed(
        "the dataset has no `\(splitName)` split for the sensitivity analysis (it has \(data.splitNames.joined(separator: ", "))); set evaluate.split"
      )
    }
    guard let input = graph.inputs.first?.name, let shape = graph.inputs.first?.shape, shape.count == 4 else {
      throw StageError.failed("the sensitivity analysis needs a model with one image input")
    }
    let config = LoaderConfig(feeding: graph, batchSize: s.evaluate.batchSize, shuffle: false)
    let loader = try DataLoader(path: dataPath, split: splitName, config: config, random: RandomStream(seed: 0))
    let order = Array(0..<min(samples, loader.count))
    let batchCount = (order.count + config.batchSize - 1) / config.batchSize
    batches = try (0..<batchCount).map { try loader.batch($0, order: order, epoch: 0) }
    self.input = input
    self.samples = order.count
    switch data.kind {
    case .identity:
      throw StageError.failed(
        "compress.prune.sensitivity: identity data has no per-image KPI to measure pruning against; use ratios \"uniform\" without a sensitivity section"
      )
    case .classification:
      name = "top1"
      guard let head = graph.outputs.first(where: { $0.role == .logits })?.name else {
        throw StageError.failed("model \(graph.name) has no logits output to measure top-1 accuracy on")
      }
      let labels = batches.flatMap(\.labels)
      measure = { outputs in
        var correct = 0, seen = 0
        for out in outputs {
          guard let logits = out[head], logits.rank == 2 else { continue }
          let classes = logits.shape[1]
          for row in 0..<logits.shape[0] {
            let slice = logits.scalars[(row * classes)..<((row + 1) * classes)]
            if let best = slice.indices.max(by: { slice[$0] < slice[$1] }), best - row * classes == labels[seen] {
              correct += 1
            }
            seen += 1
          }
        }
        return Double(correct) / Double(max(seen, 1))
      }
    case .detection:
      name = "map50"
      measure = try Self.detection(graph: graph, batches: batches, settings: s, classes: data.classNames)
    }
  }

  /// The KPI of `graph` (same input as the graph the subset was loaded for).
  func callAsFunction(_ graph: ModelGraph) throws -> Double {
    let executor = try GraphExecutor(graph: graph)
    let outputs = withoutGradients {
      batches.map { batch in
        executor.forward(inputs: [input: Variable(batch.images)], training: false).mapValues(\.value)
      }
    }
    return try measure(outputs)
  }

  /// mAP@0.5 of YOLO outputs against the batches' boxes: the evaluate stage's decoding,
  /// class-aware NMS and matching (one IoU threshold, so each call is cheap).
  private static func detection(
    graph: ModelGraph, batches: [Batch], settings: ExperimentSettings, classes: [String]
  ) throws -> ([[String: Tensor<Float>]]) throws -> Double {
    let s = settings.evaluate
    guard let shape = graph.inputs.first?.shape else { return { _ in 0 } }
    let (ih, iw) = (shape[2], shape[3])
    let softmax = settings.train.loss.classification == .ce
    let heads = graph.outputs.filter { $0.role == .yolo }
    var images: [COCOImage] = [], annotations: [COCOAnnotation] = []
    for batch in batches {
      for (slot, index) in batch.indices.enumerated() {
        images.append(COCOImage(id: index + 1, width: iw, height: ih))
        for b in batch.boxes[slot] {
          let bbox = [
            Double(b.x0) * Double(iw), Double(b.y0) * Double(ih), Double(b.w) * Double(iw), Double(b.h) * Double(ih),
          ]
          annotations.append(
            COCOAnnotation(id: annotations.count + 1, imageId: index + 1, categoryId: b.classIndex + 1, bbox: bbox))
        }
      }
    }
    let gt = COCOGroundTruth(
      images: images, annotations: annotations,
      categories: classes.enumerated().map { COCOCategory(id: $0.offset + 1, name: $0.element) })
    return { outputs in
      var results: [COCOResult] = []
      for (batch, out) in zip(batches, outputs) {
        let decoded: [YOLOHeadOutput] = heads.compactMap { h in
          guard let t = out[h.name], t.rank == 4 else { return nil }
          let head = YOLOHead(
            anchors: h.anchors ?? [], anchorUnit: .pixels, classCount: h.numClasses ?? 1, inputWidth: iw,
            inputHeight: ih, classActivation: softmax ? .softmax : .sigmoid)
          return YOLOHeadOutput(head: head, values: t.scalars, gridHeight: t.shape[2], gridWidth: t.shape[3])
        }
        let detections = try YOLOPostprocess.detect(
          decoded, batch: batch.count, confidenceThreshold: Float(s.confidenceThreshold), iouThreshold: Float(s.nmsIou),
          maxDetections: s.maxDetections)
        for (slot, index) in batch.indices.enumerated() {
          for d in detections[slot] {
            results.append(
              COCOResult(
                imageId: index + 1, categoryId: d.classIndex + 1,
                bbox: [Double(d.x1), Double(d.y1), Double(d.x2 - d.x1), Double(d.y2 - d.y1)], score: Double(d.score)))
          }
        }
      }
      let report = try DetectionEvaluator.evaluate(
        gt: gt, preds: results, definition: s.ap, iouThresholds: [0.5],
        options: DetectionEvaluationOptions(maxDetections: s.maxDetections))
      return report.map50 ?? 0
    }
  }
}
