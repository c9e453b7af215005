import Autograd
import Datasets
import Foundation
import Geometry
import Graph
import GraphTraining
import Images
import Metrics
import RunFormat
import Support

/// `evaluate-<variant>`: one model variant's KPIs on the evaluation split, with the metric
/// definitions named. One stage type serves every variant (float now; compressed, quantized and
/// each hardware target later), so all variants are measured by the same code and definitions. Detection: YOLO decoding, class-aware NMS and COCO-style matching under the chosen AP
/// definition (`detection.json`, the Metrics report format). Identity data: LFW-protocol
/// ten-fold verification (`verification.json`).
///
/// `metrics.json` holds the headline numbers as `{"<variant>": {...}, "definitions": {...}}`;
/// the runner merges every variant's block into the run's `metrics.json`, which gates read.
public struct EvaluateStage: Stage {
  /// The model variant evaluated.
  public let variant: ModelVariant
  public var name: String { "evaluate-\(variant.rawValue)" }
  public var reads: [ArtifactName] { [.dataset, Self.model(of: variant)] }
  public var writes: [ArtifactOutput] { [ArtifactOutput(.metrics(variant), [RunLayout.File.metrics])] }

  public init(variant: ModelVariant) { self.variant = variant }

  /// The artifact holding the variant's model.
  static func model(of variant: ModelVariant) -> ArtifactName {
    switch variant {
    case .float: return .trainedModel
    }
  }

  public func settings(_ e: ResolvedExperiment) -> JSONValue {
    var o = e.document["evaluate"]?.objectValue ?? [:]
    o["gates"] = nil  // gates judge the result; they do not change it
    return .object(o)
  }

  public func run(_ context: StageContext) throws {
    let s = context.settings
    let dataPath = try context.artifact(.dataset).path
    let data = try DatasetFile(path: dataPath)
    let graph = try ModelGraph.read(context.artifact(Self.model(of: variant)))
    let executor = try GraphExecutor(graph: graph, random: context.rng.split("init"))
    let splitName = s.evaluate.split.rawValue
    guard data.splitNames.contains(splitName) else {
      throw StageError.failed(
        "the dataset has no `\(splitName)` split to evaluate (it has \(data.splitNames.joined(separator: ", "))); set evaluate.split"
      )
    }
    let config = LoaderConfig(feeding: graph, batchSize: s.evaluate.batchSize, shuffle: false)
    let loader = try DataLoader(path: dataPath, split: splitName, config: config, random: context.rng.split("data"))
    let block: KPIBlock
    switch data.kind {
    case .identity:
      block = try verification(executor: executor, loader: loader, split: try data.split(splitName), context: context)
    case .detection:
      block = try detection(
        executor: executor, loader: loader, split: try data.split(splitName), classNames: data.classNames,
        context: context)
    case .classification:
      block = try ClassificationEvaluation.run(
        executor: executor, loader: loader, split: try data.split(splitName), classNames: data.classNames,
        output: context.output, progress: context.progress, checkCancellation: context.checkCancellation)
    }
    let metrics = JSONValue.object([variant.rawValue: .object(block.kpis), "definitions": .object(block.definitions)])
    try AtomicWrite.writeJSON(metrics, to: context.outputFile(RunLayout.File.metrics))
  }

  /// Runs the model over the split in inference mode, calling `body` with each batch's outputs.
  func infer(
    _ executor: GraphExecutor, _ loader: DataLoader, _ context: StageContext,
    _ body: (Datasets.Batch, [String: Tensor<Float>]) throws -> Void
  ) throws {
    guard let input = executor.graph.inputs.first?.name else { return }
    let it = loader.epoch(0)
    var done = 0
    while let batch = try it.next() {
      try context.checkCancellation()
      let out = withoutGradients { executor.forward(inputs: [input: Variable(batch.images)], training: false) }
      try body(batch, out.mapValues(\.value))
      done += batch.count
      context.progress.status("  evaluating \(done)/\(loader.count) images")
    }
  }

  func detection(
    executor: GraphExecutor, loader: DataLoader, split: DatasetSplit, classNames: [String], context: StageContext
  ) throws -> KPIBlock {
    let s = context.settings.evaluate
    let graph = executor.graph
    guard let inShape = graph.inputs.first?.shape, inShape.count == 4 else {
      throw StageError.failed("model has no image input")
    }
    let (ih, iw) = (inShape[2], inShape[3])
    let heads = graph.outputs.filter { $0.role == .yolo }
    let softmax = context.settings.train.loss.classification == .ce
    var images: [COCOImage] = [], annotations: [COCOAnnotation] = [], results: [COCOResult] = []
    var annId = 1
    var shownTruth: [Int: [Box]] = [:], shownDetections: [Int: [DecodedDetection]] = [:]
    try infer(executor, loader, context) { batch, out in
      let outputs: [YOLOHeadOutput] = heads.compactMap { h in
        guard let t = out[h.name], t.rank == 4 else { return nil }
        let head = YOLOHead(
          anchors: h.anchors ?? [], anchorUnit: .pixels,
          classCount: h.numClasses ?? 1, inputWidth: iw, inputHeight: ih,
          classActivation: softmax ? .softmax : .sigmoid)
        return YOLOHeadOutput(head: head, values: t.scalars, gridHeight: t.shape[2], gridWidth: t.shape[3])
      }
      let detections = try YOLOPostprocess.detect(
        outputs, batch: batch.count, confidenceThreshold: Float(s.confidenceThreshold),
        iouThreshold: Float(s.nmsIou), maxDetections: s.maxDetections)
      for (slot, index) in batch.indices.enumerated() {
        if shownTruth.count < 16 { shownTruth[index] = batch.boxes[slot]; shownDetections[index] = detections[slot] }
        let imageId = index + 1
        images.append(COCOImage(id: imageId, width: iw, height: ih))
        for b in batch.boxes[slot] {
          annotations.append(
            COCOAnnotation(
              id: annId, imageId: imageId, categoryId: b.classIndex + 1,
              bbox: [
                Double(b.x0) * Double(iw), Double(b.y0) * Double(ih), Double(b.w) * Double(iw),
                Double(b.h) * Double(ih),
              ]))
          annId += 1
        }
        for d in detections[slot] {
          results.append(
            COCOResult(
              imageId: imageId, categoryId: d.classIndex + 1,
              bbox: [Double(d.x1), Double(d.y1), Double(d.x2 - d.x1), Double(d.y2 - d.y1)], score: Double(d.score)))
        }
      }
    }
    context.progress.line("  evaluated \(images.count) images, \(results.count) detections")
    let gt = COCOGroundTruth(
      images: images, annotations: annotations,
      categories: classNames.enumerated().map { COCOCategory(id: $0.offset + 1, name: $0.element) })
    let definition = s.ap
    let report = try DetectionEvaluator.evaluate(
      gt: gt, preds: results, definition: definition,
      options: DetectionEvaluationOptions(maxDetections: s.maxDetections))
    try AtomicWrite.writeJSON(report, to: context.outputFile(RunLayout.File.detection), snakeCase: false)
    try AtomicWrite.write(report.renderText(), to: context.output.appendingPathComponent("detection.txt"))
    try AtomicWrite.writeJSON(
      results, to: context.output.appendingPathComponent("predictions.coco.json"), snakeCase: false)
    try AtomicWrite.writeJSON(gt, to: context.output.appendingPathComponent("ground-truth.coco.json"), snakeCase: false)
    let op = report.operatingPoint
    let name = definition.rawValue
    let grid = try PredictionGrid.render(
      split: split,
      indices: shownTruth.keys.sorted(), groundTruth: shownTruth, detections: shownDetections,
      inputSize: (iw, ih), classNames: classNames, minScore: Float(max(op.confidence, 0.05)))
    try grid.writePNG(to: context.outputFile(RunLayout.File.samples).path)
    return KPIBlock(
      kpis: [
        "map50": .number(report.map50 ?? 0), "map50_95": .number(report.map ?? 0), "map75": .number(report.map75 ?? 0),
        "precision": .number(op.precision), "recall": .number(op.recall), "f1": .number(op.f1),
        "confidence": .number(op.confidence),
      ],
      definitions: [
        "map50": .string("AP at IoU 0.5, mean over classes, \(name)"),
        "map50_95": .string("AP averaged over IoU 0.50:0.05:0.95, mean over classes, \(name)"),
        "map75": .string("AP at IoU 0.75, \(name)"),
        "precision": .string("precision at the F1-optimal confidence, IoU 0.5"),
        "recall": .string("recall at the F1-optimal confidence, IoU 0.5"),
        "f1": .string("maximum F1 over confidence, IoU 0.5"),
        "confidence": .string("the score threshold at which F1 is maximal (the operating point)"),
      ])
  }

  func verification(executor: GraphExecutor, loader: DataLoader, split: DatasetSplit, context: StageContext) throws
    -> KPIBlock
  {
    let graph = executor.graph
    guard let d = graph.outputs.first(where: { $0.role == .descriptor }) else {
      throw StageError.failed("model has no descriptor output")
    }
    let identities = try split.identities(), names = try split.identityNames()
    var embeddings: [String: [Float]] = [:]
    var keyOf: [Int: String] = [:]
    var perIdentity: [Int: Int] = [:]
    for i in 0..<split.count {
      let id = identities[i]
      let k = (perIdentity[id] ?? 0) + 1
      perIdentity[id] = k
      keyOf[i] = LFWPairs.key(name: id < names.count ? names[id] : "id\(id)", index: k)
    }
    try infer(executor, loader, context) { batch, out in
      guard let e = out[d.name] else { return }
      let dim = e.count / max(1, batch.count)
      for (slot, index) in batch.indices.enumerated() {
        embeddings[keyOf[index] ?? "\(index)"] = Array(e.scalars[(slot * dim)..<((slot + 1) * dim)])
      }
    }
    let stored = try split.pairs()
    let folds = (stored.map(\.fold).max() ?? 0) + 1
    let pairs = LFWPairs(
      folds: folds, pairsPerFold: stored.count / max(1, 2 * folds),
      pairs: stored.map {
        LFWPairs.Pair(first: keyOf[$0.first] ?? "", second: keyOf[$0.second] ?? "", isMatch: $0.isMatch, fold: $0.fold)
      })
    let metric = context.settings.evaluate.distance
    let report = try VerificationEvaluator.evaluate(pairs: pairs, embeddings: embeddings, metric: metric)
    // per-pair distances, for the report's matched vs mismatched histograms
    var same: [JSONValue] = [], different: [JSONValue] = []
    for p in pairs.pairs {
      guard let a = embeddings[p.first], let b = embeddings[p.second] else { continue }
      let d = JSONValue.number(metric.distance(a[...], b[...]))
      if p.isMatch { same.append(d) } else { different.append(d) }
    }
    try AtomicWrite.writeJSON(
      .object(["metric": .string(metric.rawValue), "same": .array(same), "different": .array(different)]),
      to: context.outputFile(RunLayout.File.verificationDistances))
    try AtomicWrite.writeJSON(report, to: context.outputFile(RunLayout.File.verification), snakeCase: false)
    try AtomicWrite.write(report.renderText(), to: context.output.appendingPathComponent("verification.txt"))
    var kpis: [String: JSONValue] = [
      "accuracy": .number(report.accuracy), "accuracy_std": .number(report.standardDeviation),
      "accuracy_se": .number(report.standardError), "auc": .number(report.roc.auc),
      "eer": .number(report.roc.equalErrorRate),
    ]
    var tarDefinitions: [String: JSONValue] = [:]
    for t in report.tarAtFar {
      kpis["tar_at_far_\(t.far)"] = .number(t.tar)
      tarDefinitions["tar_at_far_\(t.far)"] = .string(
        "true accept rate at a false accept rate of \(t.far), on the ROC over all pairs pooled")
    }
    return KPIBlock(
      kpis: kpis,
      definitions: [
        "accuracy": .string(
          "LFW protocol: mean of 10 fold accuracies, each fold's threshold chosen on the other 9 (\(metric.rawValue) distance)"
        ),
        "accuracy_std": .string("population standard deviation (÷ n) of the fold accuracies, as facenet prints it"),
        "accuracy_se": .string(
          "standard error of the mean accuracy: sample standard deviation (÷ (n − 1)) / √folds, as LFW's README defines S_E"
        ),
        "auc": .string("area under the ROC over all pairs"), "eer": .string("equal error rate"),
      ].merging(tarDefinitions) { a, _ in a })
  }
}

/// One variant's KPIs and what each means, as written to `metrics.json`.
struct KPIBlock {
  var kpis: [String: JSONValue]
  var definitions: [String: JSONValue]
}
