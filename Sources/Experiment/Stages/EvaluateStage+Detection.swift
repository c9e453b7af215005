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

extension EvaluateStage {
  /// Detection: YOLO decoding, class-aware NMS and COCO-style matching under the chosen AP
  /// definition; writes `detection.json` (Metrics' report format), COCO predictions and ground
  /// truth, and a grid of predictions.
  func detection(
    executor: InferenceEngine, loader: DataLoader, split: DatasetSplit, classNames: [String], context: StageContext
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
}
